package dev.parley.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in coturn's shared-secret scheme ({@code use-auth-secret}):
 * {@code username = <expiry unix seconds>:<id>}, {@code credential = base64(HMAC-SHA1(secret, username))}.
 * coturn recomputes the HMAC with the same secret and refuses the username once the expiry has passed.
 */
public final class TurnCredentials {

    public record Credential(String username, String credential) {
    }

    private final byte[] secret;

    public TurnCredentials(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public Credential issue(String id, Instant expiry) {
        String username = expiry.getEpochSecond() + ":" + id;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return new Credential(username, Base64.getEncoder().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
