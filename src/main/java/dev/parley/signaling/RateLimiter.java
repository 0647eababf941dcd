package dev.parley.signaling;

/**
 * A token bucket per connection: {@code rate} messages a second with bursts up to {@code burst}.
 * A connection that keeps being refused for {@link #FLOOD_NANOS} is flooding and gets closed.
 *
 * <p>A flood is a run of refusals with no gap longer than {@link #CALM_NANOS} between them. Measuring it
 * from refusal to refusal, not from the state of the bucket, keeps the clock honest when the flooder itself
 * stalls for a moment (a GC pause, a loaded machine): a pause of a few tens of milliseconds refills a token
 * or two, and a clock that restarted on those would let a flood run on far longer than five seconds.
 */
final class RateLimiter {

    enum Verdict { ALLOW, REFUSE, CLOSE }

    static final long FLOOD_NANOS = 5_000_000_000L;
    /** A second without a refusal ends a flood: the client has slowed to within its rate. */
    static final long CALM_NANOS = 1_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long last;
    private long floodStart;
    private long lastRefusal = Long.MIN_VALUE;

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
            return Verdict.ALLOW;
        }
        if (lastRefusal == Long.MIN_VALUE || now - lastRefusal > CALM_NANOS) {
            floodStart = now;
        }
        lastRefusal = now;
        return now - floodStart >= FLOOD_NANOS ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
