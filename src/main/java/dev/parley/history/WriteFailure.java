package dev.parley.history;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a refused history write says about trying it again, read from the SQLState of the database's error wherever
 * the JPA provider and the transaction manager wrapped it. An event the database will never take (a value it cannot
 * store) is dropped at once, not after seconds of retries that hold every event behind it; one refused for a
 * passing reason (a lost connection, a lock or statement timeout, a deadlock, a read-only standby, a full disk) is
 * kept and retried for as long as it takes, even while the database answers a probe.
 */
enum WriteFailure {
    /**
     * Retrying cannot help: a data exception (22: a value too long, out of range, malformed), a syntax or access rule
     * (42: the schema is migrated before the writer starts, so a missing table or privilege will not come by itself),
     * a required value missing.
     */
    PERMANENT,
    /** Retrying will help once the database recovers. */
    PASSING,
    /** Anything else (no SQLState, constraint violations, which in a cluster may be a race): retried a few times. */
    UNKNOWN;

    /**
     * H2's own codes for a connection or database going away or a concurrent change (H2 does not use class 08 for
     * these): 90028 IO error, 90067 connection broken, 90098 database closed, 90121 database called at shutdown,
     * 90131 concurrent update, and HYT00, its lock timeout.
     */
    private static final Set<String> H2_PASSING = Set.of("90028", "90067", "90098", "90121", "90131", "HYT00");
    /** PostgreSQL's read-only transaction (a standby after a failover) and lock not available. */
    private static final Set<String> PG_PASSING = Set.of("25006", "55P03");

    static WriteFailure of(Throwable failure) {
        String state = sqlState(failure);
        if (state == null || state.length() != 5) {
            return UNKNOWN;
        }
        if (H2_PASSING.contains(state) || PG_PASSING.contains(state)) {
            return PASSING;
        }
        return switch (state.substring(0, 2)) {
            // connection, transaction rollback (deadlock, serialization), resources (disk full, too many
            // connections), operator intervention (statement timeout, shutdown)
            case "08", "40", "53", "57" -> PASSING;
            case "22", "42" -> PERMANENT;
            default -> state.equals("23502") ? PERMANENT : UNKNOWN; // 23502: a NOT NULL column left empty
        };
    }

    /** The SQLState of the first SQLException with one among the causes (and chained exceptions) of {@code failure}. */
    private static String sqlState(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            SQLException e = t instanceof SQLException sql ? sql : null;
            for (int i = 0; e != null && i < 10; e = e.getNextException(), i++) { // a few: chains may loop
                if (e.getSQLState() != null) {
                    return e.getSQLState();
                }
            }
        }
        return null;
    }
}
