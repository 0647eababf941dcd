package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.RateLimiter.Verdict;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @Test
    void burstIsAllowedThenRefused() {
        RateLimiter limiter = new RateLimiter(10, 5, 0);

        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ALLOW, limiter.acquire(0), "message " + (i + 1) + " of the burst");
        }
        assertEquals(Verdict.REFUSE, limiter.acquire(0));
        assertEquals(Verdict.REFUSE, limiter.acquire(0));
    }

    @Test
    void tokensRefillAtTheRate() {
        RateLimiter limiter = new RateLimiter(10, 5, 0);
        drain(limiter, 0);

        assertEquals(Verdict.REFUSE, limiter.acquire(50 * MS), "half a token after 50 ms");
        assertEquals(Verdict.ALLOW, limiter.acquire(100 * MS), "one token after 100 ms at 10/s");
        assertEquals(Verdict.REFUSE, limiter.acquire(100 * MS));
        assertEquals(Verdict.ALLOW, limiter.acquire(300 * MS));
        assertEquals(Verdict.ALLOW, limiter.acquire(300 * MS), "two tokens after another 200 ms");
        assertEquals(Verdict.REFUSE, limiter.acquire(300 * MS));
    }

    @Test
    void refillIsCappedAtTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 5, 0);
        drain(limiter, 0);

        long later = 60 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.ALLOW, limiter.acquire(later));
        }
        assertEquals(Verdict.REFUSE, limiter.acquire(later));
    }

    @Test
    void clientWithinTheRateIsNeverRefused() {
        RateLimiter limiter = new RateLimiter(50, 200, 0);

        for (long t = 0; t < 60 * SECOND; t += 20 * MS) { // exactly 50 a second for a minute
            assertEquals(Verdict.ALLOW, limiter.acquire(t), "at " + t / MS + " ms");
        }
    }

    @Test
    void emptyBucketAloneIsRefusedNotClosed() {
        RateLimiter limiter = new RateLimiter(10, 5, 0);
        drain(limiter, 0);

        assertEquals(Verdict.REFUSE, limiter.acquire(1 * MS));
        assertEquals(Verdict.REFUSE, limiter.acquire(2 * MS));
    }

    @Test
    void sustainedFloodingIsClosedAfterFiveSeconds() {
        // PROTOCOL.md §1: close 1008 on "sustained flooding (rate limit exhausted for 5 s)".
        // A client sending 1000 messages a second against a limit of 50 keeps the bucket exhausted.
        RateLimiter limiter = new RateLimiter(50, 200, 0);
        long firstRefusal = -1;
        long closedAt = -1;
        for (long t = 0; t <= 10 * SECOND; t += MS) {
            Verdict v = limiter.acquire(t);
            if (v == Verdict.REFUSE && firstRefusal < 0) {
                firstRefusal = t;
            }
            if (v == Verdict.CLOSE) {
                closedAt = t;
                break;
            }
        }

        assertTrue(firstRefusal >= 0, "the flood exhausts the bucket");
        assertNotEquals(-1, closedAt, "a flood that lasts 10 s must be closed");
        long floodingFor = closedAt - firstRefusal;
        assertTrue(floodingFor >= 5 * SECOND - 100 * MS && floodingFor <= 5 * SECOND + 500 * MS,
                "closed after " + floodingFor / MS + " ms of flooding, expected about 5 s");
    }

    @Test
    void briefOverrunFollowedByCalmIsNotClosed() {
        RateLimiter limiter = new RateLimiter(50, 200, 0);
        drain(limiter, 0);
        for (long t = 0; t < 3 * SECOND; t += MS) { // three seconds of flooding
            assertNotEquals(Verdict.CLOSE, limiter.acquire(t));
        }
        for (long t = 3 * SECOND; t < 20 * SECOND; t += 100 * MS) { // then 10 a second
            assertEquals(Verdict.ALLOW, limiter.acquire(t), "at " + t / MS + " ms");
        }
    }

    @Test
    void aFlooderThatStallsNowAndThenIsStillClosedAfterFiveSeconds() {
        // A loaded client pauses 100 ms every 300 ms: each pause refills a few tokens, which must not
        // restart the flood clock (seen in CI as a flood that ran for 12 s before it was closed).
        RateLimiter limiter = new RateLimiter(50, 200, 0);
        drain(limiter, 0);
        long closedAt = -1;
        for (long t = 0; t <= 10 * SECOND && closedAt < 0; t += (t % (300 * MS) == 0) ? 100 * MS : 2 * MS) {
            if (limiter.acquire(t) == Verdict.CLOSE) {
                closedAt = t;
            }
        }
        assertTrue(closedAt >= 5 * SECOND - 10 * MS && closedAt <= 5 * SECOND + 200 * MS,
                "closed at " + closedAt / MS + " ms");
    }

    @Test
    void aSecondOfCalmBetweenTwoOverrunsStartsTheClockAgain() {
        RateLimiter limiter = new RateLimiter(50, 200, 0);
        drain(limiter, 0);
        for (long t = 0; t < 4 * SECOND; t += MS) {
            assertNotEquals(Verdict.CLOSE, limiter.acquire(t), "first overrun at " + t / MS + " ms");
        }
        for (long t = 4 * SECOND; t < 6 * SECOND; t += 100 * MS) { // two seconds at 10 a second
            assertEquals(Verdict.ALLOW, limiter.acquire(t));
        }
        for (long t = 6 * SECOND; t < 10 * SECOND; t += MS) {
            assertNotEquals(Verdict.CLOSE, limiter.acquire(t), "second overrun at " + t / MS + " ms");
        }
    }

    private static void drain(RateLimiter limiter, long now) {
        while (limiter.acquire(now) == Verdict.ALLOW) {
            // empty the bucket
        }
    }
}
