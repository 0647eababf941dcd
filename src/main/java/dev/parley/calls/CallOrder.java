package dev.parley.calls;

import java.util.Map;

/**
 * The orders history can be listed in. Each ends with the call id as a tie-break, so pages are stable:
 * a call never appears on two pages nor on none while the data does not change.
 */
public enum CallOrder {
    NEWEST("c.startedAt desc, c.id desc"),
    OLDEST("c.startedAt asc, c.id asc"),
    LONGEST("c.durationS desc, c.id desc"),
    SHORTEST("c.durationS asc, c.id asc"),
    // Calls never answered have no setup time: last either way (PostgreSQL puts nulls first when descending, H2
    // when ascending).
    SLOWEST_SETUP("c.setupMs desc nulls last, c.id desc"),
    FASTEST_SETUP("c.setupMs asc nulls last, c.id asc");

    /** The {@code sort} parameter values: a field, descending with a leading minus. */
    public static final Map<String, CallOrder> BY_PARAMETER = Map.of(
            "-startedAt", NEWEST, "startedAt", OLDEST, "-durationS", LONGEST, "durationS", SHORTEST,
            "-setupMs", SLOWEST_SETUP, "setupMs", FASTEST_SETUP);

    final String jpql;

    CallOrder(String jpql) {
        this.jpql = jpql;
    }
}
