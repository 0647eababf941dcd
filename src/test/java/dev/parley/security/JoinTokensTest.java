package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.signaling.SignalException;
import dev.parley.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md §4: only an unexpired HS256 token signed with our secret, with room, name and exp, lets a client in. */
class JoinTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-join";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final JoinTokens tokens = new JoinTokens(SECRET, clock);

    static String sign(String secret, JWSAlgorithm alg, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(String room, String name, Instant exp) {
        return new JWTClaimsSet.Builder().claim("room", room).claim("name", name).expirationTime(Date.from(exp));
    }

    private String refusal(String token) {
        SignalException e = assertThrows(SignalException.class, () -> tokens.verify(token));
        assertEquals("unauthorized", e.code());
        assertFalse(token != null && token.length() > 3 && e.getMessage().contains(token), "a refusal never echoes the token");
        return e.getMessage();
    }

    @Test
    void aValidTokenGrantsItsRoomAndName() throws Exception {
        JoinTokens.Grant grant = tokens.verify(sign(SECRET, JWSAlgorithm.HS256, claims("team-a", "Ada", NOW.plusSeconds(60)).build()));

        assertEquals("team-a", grant.room());
        assertEquals("Ada", grant.name());
        assertTrue(tokens.required());
        assertFalse(JoinTokens.NONE.required());
    }

    @Test
    void aTokenForLaterIsRefusedUntilItsNotBeforeTime() throws Exception {
        String later = sign(SECRET, JWSAlgorithm.HS256, claims("team-a", "Ada", NOW.plusSeconds(600))
                .notBeforeTime(Date.from(NOW.plusSeconds(300))).build());
        assertTrue(refusal(later).contains("not valid yet"));

        clock.advance(Duration.ofSeconds(300).minus(JoinTokens.NOT_BEFORE_LEEWAY)); // an issuer's clock a little ahead
        assertEquals("team-a", tokens.verify(later).room());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = sign(SECRET, JWSAlgorithm.HS256, claims("team-a", "Ada", NOW.plusSeconds(60)).build());
        clock.advance(Duration.ofSeconds(60));

        assertTrue(refusal(token).contains("expired"));
    }

    @Test
    void aTokenWithoutExpiryIsRefused() throws Exception {
        String token = sign(SECRET, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().claim("room", "r").claim("name", "n").build());

        assertTrue(refusal(token).contains("expiry"));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() throws Exception {
        refusal(sign("another-secret-of-at-least-32-bytes!!", JWSAlgorithm.HS256, claims("team-a", "Ada", NOW.plusSeconds(60)).build()));
    }

    @Test
    void aTamperedPayloadIsRefused() throws Exception {
        String token = sign(SECRET, JWSAlgorithm.HS256, claims("team-a", "Ada", NOW.plusSeconds(60)).build());
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(claims("team-b", "Ada", NOW.plusSeconds(60))
                .build().toString().getBytes(StandardCharsets.UTF_8));

        refusal(parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void anUnsignedTokenIsRefused() {
        refusal(new PlainJWT(claims("team-a", "Ada", NOW.plusSeconds(60)).build()).serialize());
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("team-a", "Ada", NOW.plusSeconds(60)).build().toString().getBytes(StandardCharsets.UTF_8));
        refusal(header + "." + payload + ".");
        refusal(header + "." + payload + ".c2lnbmF0dXJl");
    }

    @Test
    void onlyHs256IsAccepted() throws Exception {
        String longSecret = SECRET + SECRET;
        JoinTokens strong = new JoinTokens(longSecret, clock);
        String hs512 = sign(longSecret, JWSAlgorithm.HS512, claims("team-a", "Ada", NOW.plusSeconds(60)).build());

        SignalException e = assertThrows(SignalException.class, () -> strong.verify(hs512));
        assertEquals("unauthorized", e.code());
        assertTrue(e.getMessage().contains("HS256"));
    }

    @Test
    void roomAndNameMustBePresentStrings() throws Exception {
        refusal(sign(SECRET, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().claim("name", "Ada")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()));
        refusal(sign(SECRET, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().claim("room", "team-a")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()));
        refusal(sign(SECRET, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().claim("room", 7).claim("name", "Ada")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build()));
    }

    @Test
    void missingAndMalformedTokensAreRefused() {
        refusal(null);
        refusal("");
        refusal("not-a-jwt");
        refusal("a.b.c");
        refusal("eyJhbGciOiJIUzI1NiJ9.%%%.xyz");
    }
}
