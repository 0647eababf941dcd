package dev.parley.signaling;

import dev.parley.config.ParleyConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a client's address into what history may keep: by default a salted HMAC-SHA256 (the same address
 * gives the same value while the salt stays, but the address cannot be read back); the raw address only
 * with {@code parley.history.store-ip=true}. Without {@code parley.history.ip-salt} a random salt is drawn
 * per start, so values are comparable only within one run.
 */
@ApplicationScoped
public class ClientAddresses {

    @Inject
    ParleyConfig config;
    private byte[] salt;

    @PostConstruct
    void init() {
        salt = config.ipSalt.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
    }

    public String forHistory(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        if (config.storeIp) {
            return address;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return "sha256:" + HexFormat.of().formatHex(mac.doFinal(address.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
