package dev.parley.reports;

import dev.parley.calls.Call;
import dev.parley.calls.CallQuality;
import dev.parley.db.Sql;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps {@code parley_call_hour} (per-hour sums of the call history, see {@code db/V4__call_hour_rollup.sql})
 * equal to what the calls themselves add up to, in the same transaction as the change to the calls. Two ways:
 * <ul>
 * <li>{@link #add}: what changed calls add to their hours' sums ({@link CallRollupChanges} works it out). The
 *     history writer and the quality reports use it: its cost is that of the change, whatever the hour holds
 *     already, so a burst of calls is written in a steady time.</li>
 * <li>{@link #refresh}: each hour recomputed from its calls, for changes made in bulk by SQL (the purge), and
 *     {@link #rebuild} for all hours.</li>
 * </ul>
 *
 * <p>Both take a row lock on the hour, then read it with a fresh statement: in READ COMMITTED that sees what
 * every transaction that held the lock before committed. So a recount counts the calls an earlier addition
 * changed, and an addition adds to an earlier recount; a transaction that changed calls but has not yet reached
 * the hour commits its addition after any recount that could not see its calls. Hours are locked in ascending
 * order, after the call rows, by every writer, so they cannot deadlock.
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

    /** The figures, as {@link #COLUMNS} names them: the order of {@link #sumsOf} too. */
    static final List<String> FIGURES = List.of(COLUMNS.split(", "));
    private static final String ADD = "UPDATE parley_call_hour SET " + FIGURES.stream()
            .map(c -> c + " = " + c + " + ?").collect(Collectors.joining(", ")) + " WHERE hour_start = ?";
    /** Where the two sums that are not counts sit; every other figure is a whole number. */
    private static final int RTT_SUM = FIGURES.indexOf("rtt_sum");
    private static final int LOSS_SUM = FIGURES.indexOf("loss_sum");

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

    /**
     * One call's share of its hour's sums, in {@link #COLUMNS} order: {@link #SUMS} for a single row, in Java. Kept
     * beside {@link #SUMS} because the two must agree.
     */
    public static double[] sumsOf(Call call) {
        CallQuality caller = call.callerQuality;
        CallQuality callee = call.calleeQuality;
        String callerType = caller == null ? null : caller.candidateType;
        String calleeType = callee == null ? null : callee.candidateType;
        boolean answered = call.answeredAt != null;
        boolean timed = answered && call.endedAt != null && call.durationS != null;
        Double callerRtt = caller == null ? null : caller.rttMs;
        Double calleeRtt = callee == null ? null : callee.rttMs;
        Double callerLoss = caller == null ? null : caller.packetsLostPct;
        Double calleeLoss = callee == null ? null : callee.packetsLostPct;
        return new double[] {
            1,
            answered ? 1 : 0,
            "missed".equals(call.endReason) ? 1 : 0,
            "rejected".equals(call.endReason) ? 1 : 0,
            timed ? call.durationS : 0,
            timed ? 1 : 0,
            call.setupMs == null ? 0 : call.setupMs,
            call.setupMs == null ? 0 : 1,
            "relay".equals(callerType) || "relay".equals(calleeType) ? 1 : 0,
            callerType != null || calleeType != null ? 1 : 0,
            valueOr0(callerRtt) + valueOr0(calleeRtt),
            countOf(callerRtt) + countOf(calleeRtt),
            valueOr0(callerLoss) + valueOr0(calleeLoss),
            countOf(callerLoss) + countOf(calleeLoss)};
    }

    private static double valueOr0(Double value) {
        return value == null ? 0 : value;
    }

    private static int countOf(Double value) {
        return value == null ? 0 : 1;
    }

    /** Adds {@code changes} (per hour, in {@link #COLUMNS} order) to the hours' sums, inside the caller's transaction. */
    public void add(Sql sql, SortedMap<LocalDateTime, double[]> changes) throws SQLException {
        for (Map.Entry<LocalDateTime, double[]> hour : changes.entrySet()) {
            double[] change = hour.getValue();
            if (Arrays.stream(change).allMatch(d -> d == 0)) {
                continue;
            }
            LocalDateTime start = hourOf(hour.getKey());
            lockHour(sql, start);
            Object[] params = new Object[change.length + 1];
            for (int i = 0; i < change.length; i++) {
                params[i] = i == RTT_SUM || i == LOSS_SUM ? (Object) change[i] : (Object) Math.round(change[i]);
            }
            params[change.length] = start;
            sql.update(ADD, params);
        }
    }

    /** Recounts the given hours from {@code parley_call}, inside the caller's transaction. */
    public void refresh(Sql sql, Collection<LocalDateTime> hours) throws SQLException {
        for (LocalDateTime hour : new TreeSet<>(hours)) {
            LocalDateTime start = hourOf(hour);
            lockHour(sql, start);
            sql.update(RECOUNT, start, start.plusHours(1), start);
        }
    }

    /** Makes sure the hour has its row and locks it; what runs after this sees all that earlier holders committed. */
    private void lockHour(Sql sql, LocalDateTime start) throws SQLException {
        sql.update(h2 ? ENSURE_H2 : ENSURE_PG, start);
        sql.lock(LOCK, start);
    }

    /** Recounts every hour from scratch: for histories loaded behind the writers' backs (bulk imports). */
    public void rebuild(Sql sql) throws SQLException {
        sql.update("DELETE FROM parley_call_hour");
        sql.update(REBUILD);
    }
}
