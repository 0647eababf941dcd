package dev.parley.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.signaling.SignalException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

/**
 * Checks the join tokens of PROTOCOL.md §4, so that an application owning its users decides who enters its
 * rooms: a compact JWS signed HS256 with {@code parley.join.secret} (no other algorithm, {@code none} least of
 * all), carrying {@code room}, {@code name} and an {@code exp} still in the future. Parsing and the signature
 * are left to Nimbus JOSE+JWT; every refusal is {@code unauthorized}, and no token is ever logged.
 */
public final class JoinTokens {

    /** How far ahead of our clock a token's {@code nbf} may be: the issuer's clock and ours may disagree a little. */
    static final Duration NOT_BEFORE_LEEWAY = Duration.ofSeconds(60);

    /** Join tokens are not required: {@code parley.join.secret} is not set. */
    public static final JoinTokens NONE = new JoinTokens();

    /** What a valid token grants: this name, in this room (both as the issuer wrote them). */
    public record Grant(String room, String name) {
    }

    private final MACVerifier verifier;
    private final Clock clock;

    private JoinTokens() {
        verifier = null;
        clock = null;
    }

    /** @param secret at least 32 bytes (HS256 needs a 256-bit key); {@code ParleyConfig} checks that. */
    public JoinTokens(String secret, Clock clock) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable join secret: " + e.getMessage());
        }
        this.clock = clock;
    }

    public boolean required() {
        return verifier != null;
    }

    public Grant verify(String token) {
        if (token == null) {
            throw refused("this server requires a join token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw refused("join tokens must be signed with HS256");
            }
            if (!jwt.verify(verifier)) {
                throw refused("the join token's signature does not match");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw refused("the join token is not a valid signed JWT");
        }
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw refused("the join token has no expiry");
        }
        if (!clock.instant().isBefore(expiry.toInstant())) {
            throw refused("the join token has expired");
        }
        // Optional (RFC 7519 §4.1.5): an issuer may hand out a token for later, e.g. for a meeting's start.
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && clock.instant().plus(NOT_BEFORE_LEEWAY).isBefore(notBefore.toInstant())) {
            throw refused("the join token is not valid yet");
        }
        String room = stringClaim(claims, "room");
        String name = stringClaim(claims, "name");
        return new Grant(room, name);
    }

    private static String stringClaim(JWTClaimsSet claims, String claim) {
        try {
            String value = claims.getStringClaim(claim);
            if (value == null || value.isBlank()) {
                throw refused("the join token has no '" + claim + "'");
            }
            return value;
        } catch (ParseException e) {
            throw refused("the join token's '" + claim + "' is not a string");
        }
    }

    private static SignalException refused(String message) {
        return new SignalException("unauthorized", message);
    }
}
