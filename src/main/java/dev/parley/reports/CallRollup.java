package dev.parley.reports;

import dev.parley.db.Sql;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Keeps {@code parley_call_hour} (per-hour sums of the call history, see {@code db/V4__call_hour_rollup.sql})
 * equal to what the calls themselves add up to. Whoever changes calls calls {@link #refresh} in the same
 * transaction, with the hours (UTC) those calls started in; each hour is then recomputed from its calls.
 *
 * <p>Recomputing rather than adding deltas keeps the sums exact whatever changed (an answer, an end, a late
 * quality report, a purge). Two transactions refreshing one hour are serialized by a row lock taken before the
 * recount, so the later one counts what the earlier one committed: hours are locked in ascending order, after
 * the call rows, by every writer, so they cannot deadlock.
 */
public final class CallRollup {

    /** The sums over a set of calls, in the order of the table's columns after {@code hour}. */
    static final String SUMS = """
            COUNT(*),
            COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN end_reason = 'missed' THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN end_reason = 'rejected' THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN duration_s ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL AND duration_s IS NOT NULL
                         THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(setup_ms), 0), COUNT(setup_ms),
            COALESCE(SUM(CASE WHEN caller_candidate_type = 'relay' OR callee_candidate_type = 'relay' THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN caller_candidate_type IS NOT NULL OR callee_candidate_type IS NOT NULL
                         THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(COALESCE(caller_rtt_ms, 0) + COALESCE(callee_rtt_ms, 0)), 0),
            COUNT(caller_rtt_ms) + COUNT(callee_rtt_ms),
            COALESCE(SUM(COALESCE(caller_packets_lost_pct, 0) + COALESCE(callee_packets_lost_pct, 0)), 0),
            COUNT(caller_packets_lost_pct) + COUNT(callee_packets_lost_pct)""";

    static final String COLUMNS = "calls, answered, missed, rejected, duration_sum, duration_n, setup_sum, setup_n, "
            + "relayed, typed, rtt_sum, rtt_n, loss_sum, loss_n";

    private static final String ENSURE_PG = "INSERT INTO parley_call_hour (hour_start) VALUES (?) ON CONFLICT (hour_start) DO NOTHING";
    private static final String ENSURE_H2 = "MERGE INTO parley_call_hour (hour_start) KEY (hour_start) VALUES (?)";
    private static final String LOCK = "SELECT hour_start FROM parley_call_hour WHERE hour_start = ? FOR UPDATE";
    private static final String RECOUNT = "UPDATE parley_call_hour SET (" + COLUMNS + ") = (SELECT " + SUMS
            + " FROM parley_call WHERE started_at >= ? AND started_at < ?) WHERE hour_start = ?";

    private static final String REBUILD = "INSERT INTO parley_call_hour (hour_start, " + COLUMNS + ") SELECT "
            + "DATE_TRUNC('hour', started_at), " + SUMS + " FROM parley_call GROUP BY DATE_TRUNC('hour', started_at)";

    private final boolean h2;

    public CallRollup(boolean h2) {
        this.h2 = h2;
    }

    /** The hour a call started at {@code startedAt} (UTC) is counted in. */
    public static LocalDateTime hourOf(LocalDateTime startedAt) {
        return startedAt.truncatedTo(ChronoUnit.HOURS);
    }

    /** Recounts the given hours from {@code parley_call}, inside the caller's transaction. */
    public void refresh(Sql sql, Collection<LocalDateTime> hours) throws SQLException {
        for (LocalDateTime hour : new TreeSet<>(hours)) {
            LocalDateTime start = hourOf(hour);
            sql.update(h2 ? ENSURE_H2 : ENSURE_PG, start);
            // A fresh statement after the lock: in READ COMMITTED it sees what a transaction that held the lock
            // before us committed, so neither recount misses the other's calls.
            sql.lock(LOCK, start);
            sql.update(RECOUNT, start, start.plusHours(1), start);
        }
    }

    /** {@link #refresh(Sql, Collection)} in the caller's JPA transaction. */
    public void refresh(EntityManager em, Collection<LocalDateTime> hours) {
        try {
            refresh(Sql.of(em), hours);
        } catch (SQLException e) {
            throw new PersistenceException(e); // not thrown through an EntityManager; here for the signature
        }
    }

    /** Recounts every hour from scratch: for histories loaded behind the writers' backs (bulk imports). */
    public void rebuild(Sql sql) throws SQLException {
        sql.update("DELETE FROM parley_call_hour");
        sql.update(REBUILD);
    }
}
