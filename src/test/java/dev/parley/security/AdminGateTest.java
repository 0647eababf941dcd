package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.ParleyConfig;
import dev.parley.security.AdminGate.Verdict;
import dev.parley.testing.MapConfig;
import dev.parley.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminGateTest {

    private static final String TOKEN = "a-long-enough-admin-token";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final AdminGate gate = new AdminGate();

    @BeforeEach
    void setUp() {
        gate.config = new ParleyConfig(MapConfig.of("parley.admin.token", TOKEN, "parley.admin.failure-rate", "3"));
        gate.clock = clock;
        gate.init();
    }

    @Test
    void theRightTokenIsAdmittedAndAWrongOrMissingOneRefused() {
        assertEquals(Verdict.ADMITTED, gate.check("10.0.0.1", "Bearer " + TOKEN));
        assertEquals(Verdict.REFUSED, gate.check("10.0.0.1", "Bearer guess"));
        assertEquals(Verdict.REFUSED, gate.check("10.0.0.1", null));
        assertEquals(Verdict.REFUSED, gate.check("10.0.0.1", "Basic " + TOKEN));
    }

    @Test
    void anAddressThatKeepsGuessingIsThrottledEvenWithTheRightTokenWhileOthersAreNot() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.REFUSED, gate.check("10.0.0.1", "Bearer guess-" + i));
        }

        assertEquals(Verdict.THROTTLED, gate.check("10.0.0.1", "Bearer " + TOKEN));
        assertEquals(Verdict.ADMITTED, gate.check("10.0.0.2", "Bearer " + TOKEN), "an admin elsewhere is not locked out");

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(Verdict.ADMITTED, gate.check("10.0.0.1", "Bearer " + TOKEN), "a minute later it may try again");
    }

    @Test
    void ipv6GuessesCountByTheirSlash64AndAnUnknownAddressIsOneClient() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.REFUSED, gate.check("2001:db8::" + (i + 1), "Bearer guess-" + i));
        }
        assertEquals(Verdict.THROTTLED, gate.check("2001:db8::99", "Bearer " + TOKEN), "another address of the /64");
        assertEquals(Verdict.REFUSED, gate.check(null, "Bearer guess"), "no address: refused, not a failure");
    }

    @Test
    void admittedRequestsDoNotCountTowardsTheLimit() {
        for (int i = 0; i < 10; i++) {
            assertEquals(Verdict.ADMITTED, gate.check("10.0.0.1", "Bearer " + TOKEN));
        }
        assertEquals(Verdict.REFUSED, gate.check("10.0.0.1", "Bearer guess"));
    }
}
