package dev.parley.signaling;

/**
 * A token bucket per connection: {@code rate} messages a second with bursts up to {@code burst}.
 * A connection that keeps the bucket empty for {@link #FLOOD_NANOS} is flooding and gets closed.
 */
final class RateLimiter {

    enum Verdict { ALLOW, REFUSE, CLOSE }

    static final long FLOOD_NANOS = 5_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long last;
    private long emptySince = -1;

    RateLimiter(int ratePerSecond, int burst, long now) {
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    synchronized Verdict acquire(long now) {
        tokens = Math.min(burst, tokens + (now - last) * tokensPerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            // Only a bucket with room to spare ends a flood: a flooder is granted each refilled token,
            // and resetting on those grants would keep the flood clock from ever running out.
            if (tokens >= 1) {
                emptySince = -1;
            }
            return Verdict.ALLOW;
        }
        if (emptySince < 0) {
            emptySince = now;
        }
        return now - emptySince >= FLOOD_NANOS ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
