package dev.parley.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AddressRateLimitTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final AddressRateLimit limit = new AddressRateLimit(3, clock);

    @Test
    void limitPerMinuteIsAllowedThenRefusedWithAPositiveWait() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limit.acquire("198.51.100.7"), "request " + (i + 1));
        }

        long retryAfter = limit.acquire("198.51.100.7");

        assertTrue(retryAfter > 0, "Retry-After must be positive");
        assertTrue(retryAfter <= 61, "no more than the window: " + retryAfter);
    }

    @Test
    void otherAddressesAreUnaffected() {
        for (int i = 0; i < 3; i++) {
            limit.acquire("198.51.100.7");
        }

        assertEquals(0, limit.acquire("203.0.113.9"));
        assertEquals(0, limit.acquire("2001:db8::1"));
        assertTrue(limit.acquire("198.51.100.7") > 0);
    }

    @Test
    void waitingRetryAfterIsEnough() {
        limit.acquire("a");
        clock.advance(Duration.ofSeconds(20));
        limit.acquire("a");
        limit.acquire("a");
        clock.advance(Duration.ofSeconds(30));

        long retryAfter = limit.acquire("a");
        assertTrue(retryAfter >= 10 && retryAfter <= 11, "the oldest request leaves the window in 10 s: " + retryAfter);

        clock.advance(Duration.ofSeconds(retryAfter));
        assertEquals(0, limit.acquire("a"));
    }

    @Test
    void refusedRequestsDoNotCountAgainstTheWindow() {
        for (int i = 0; i < 3; i++) {
            limit.acquire("a");
        }
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            assertTrue(limit.acquire("a") > 0);
        }

        clock.advance(Duration.ofSeconds(56));

        assertEquals(0, limit.acquire("a"), "one minute after the first three, the address may go again");
    }

    @Test
    void windowSlidesRatherThanResettingEachMinute() {
        limit.acquire("a");                         // t = 0
        clock.advance(Duration.ofSeconds(40));
        limit.acquire("a");                         // t = 40
        limit.acquire("a");                         // t = 40
        clock.advance(Duration.ofSeconds(21));      // t = 61: only the first has left the window

        assertEquals(0, limit.acquire("a"));
        assertTrue(limit.acquire("a") > 0, "the two from t = 40 and the one at t = 61 fill the window");

        clock.advance(Duration.ofSeconds(40));      // t = 101: the two from t = 40 have left
        assertEquals(0, limit.acquire("a"));
        assertEquals(0, limit.acquire("a"));
        assertTrue(limit.acquire("a") > 0);
    }
}
