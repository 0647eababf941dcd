package dev.parley.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} actions per client address in any sliding minute. Answers how long to wait when
 * refused (for {@code Retry-After}). Addresses idle for a minute are forgotten, so memory stays bounded
 * by the recently active clients.
 */
public final class AddressRateLimit {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int limit;
    private final Clock clock;
    private final Map<String, ArrayDeque<Instant>> recent = new ConcurrentHashMap<>();

    public AddressRateLimit(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Whether {@link #acquire} would refuse now; counts nothing (for limits on failures, counted afterwards). */
    public boolean exhausted(String address) {
        ArrayDeque<Instant> times = recent.get(address);
        if (times == null) {
            return false;
        }
        Instant horizon = clock.instant().minus(WINDOW);
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.pollFirst();
            }
            return times.size() >= limit;
        }
    }

    /** Zero when allowed (and counted); otherwise the whole seconds to wait. */
    public long acquire(String address) {
        Instant now = clock.instant();
        Instant horizon = now.minus(WINDOW);
        if (recent.size() > 10_000) {
            recent.values().removeIf(q -> {
                synchronized (q) {
                    return q.isEmpty() || q.peekLast().isBefore(horizon);
                }
            });
        }
        ArrayDeque<Instant> times = recent.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.pollFirst();
            }
            if (times.size() < limit) {
                times.addLast(now);
                return 0;
            }
            long waitMillis = Duration.between(now, times.peekFirst().plus(WINDOW)).toMillis();
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }
}
