package dev.parley.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters and the relay latency histogram that the signal path bumps. Plain Java (LongAdder), so they work
 * on every server, WildFly included, which has no MicroProfile Metrics; {@link MetricsResource} renders them.
 * Hot-path methods only increment: no locks, and no allocation once a label has been seen. One instance per
 * deployment, produced by {@code CoreBeans} without a client proxy, which would look its context up on every
 * relayed frame (1.7 % of the samples of WildFly's closed loop by JFR).
 */
public class Metrics {

    private final Map<String, LongAdder> relayed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> callsEnded = new ConcurrentHashMap<>();
    private final LongAdder rateLimited = new LongAdder();
    private final LatencyHistogram relayLatency = new LatencyHistogram();

    /** A client frame of this type was relayed to its peer after {@code nanos} on the server. */
    public void relayed(String type, long nanos) {
        adder(relayed, type).increment();
        relayLatency.observe(nanos);
    }

    /** An {@code error} frame with this code was sent to a client. */
    public void error(String code) {
        adder(errors, code).increment();
    }

    /** A frame refused by the per-connection rate limit (also counted as error {@code rate-limited}). */
    public void rateLimited() {
        rateLimited.increment();
        error("rate-limited");
    }

    public void callEnded(String reason) {
        adder(callsEnded, reason).increment();
    }

    /** Calls ended in the database without passing the signal path: those a dead instance or run left open. */
    public void callsEnded(String reason, int count) {
        if (count > 0) {
            adder(callsEnded, reason).add(count);
        }
    }

    Map<String, LongAdder> relayed() {
        return relayed;
    }

    Map<String, LongAdder> errors() {
        return errors;
    }

    Map<String, LongAdder> callsEnded() {
        return callsEnded;
    }

    long rateLimitedCount() {
        return rateLimited.sum();
    }

    LatencyHistogram relayLatency() {
        return relayLatency;
    }

    private static LongAdder adder(Map<String, LongAdder> map, String label) {
        LongAdder adder = map.get(label);
        return adder != null ? adder : map.computeIfAbsent(label, l -> new LongAdder());
    }
}
