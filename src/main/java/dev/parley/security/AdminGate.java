package dev.parley.security;

import dev.parley.config.ParleyConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * Decides an admin request: the admin bearer token, compared in constant time, and a limit on guessing per client
 * address: past {@code parley.admin.failure-rate} refusals in a minute, even the right token is turned away from
 * that address for a while (an admin elsewhere is not).
 */
@ApplicationScoped
public class AdminGate {

    public enum Verdict { ADMITTED, REFUSED, THROTTLED }

    @Inject
    ParleyConfig config;
    @Inject
    Clock clock;
    private AddressRateLimit failures;

    @PostConstruct
    void init() {
        failures = new AddressRateLimit(config.adminFailureRate, clock);
    }

    /** {@code address}: the client's, as the container reports it (counted by {@link AddressKey}). */
    public Verdict check(String address, String authorization) {
        address = AddressKey.of(address);
        if (failures.exhausted(address)) {
            return Verdict.THROTTLED;
        }
        if (carriesToken(authorization)) {
            return Verdict.ADMITTED;
        }
        failures.acquire(address);
        return Verdict.REFUSED;
    }

    /** Whether an {@code Authorization} header carries the admin token, compared in constant time. */
    private boolean carriesToken(String authorization) {
        String token = Bearer.token(authorization);
        return token != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), config.adminToken.getBytes(StandardCharsets.UTF_8));
    }
}
