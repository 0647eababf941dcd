package dev.parley.reports;

import dev.parley.calls.Call;
import dev.parley.db.Sql;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one transaction's changes to calls add to the per-hour report sums: each call's share of its hour before
 * its first change in the transaction, against its share at the end. Name every call before changing it
 * ({@link #changing}, or {@link #added} for a new one), then {@link #write} once, after the last change.
 *
 * <p>The share before must be the committed one, and must stay so until this transaction commits: read the call
 * with a row lock (or create it), so that no other writer can change it in between and add the same change twice.
 */
public final class CallRollupChanges {

    private static final double[] NONE = new double[CallRollup.COLUMNS.split(", ").length];

    /** The calls named so far, by id, and each one's share before this transaction changed it. */
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, double[]> before = new HashMap<>();

    /** The call with this id that this transaction created or named as changing, if any: it is already locked. */
    public Call named(String callId) {
        return calls.get(callId);
    }

    /** A call this transaction creates: it had no share before. */
    public void added(Call call) {
        calls.putIfAbsent(call.id, call);
        before.putIfAbsent(call.id, NONE);
    }

    /** A call this transaction is about to change (only its first change in the transaction counts). */
    public void changing(Call call) {
        calls.putIfAbsent(call.id, call);
        before.computeIfAbsent(call.id, id -> CallRollup.sumsOf(call));
    }

    /** Adds the changes to the hours' sums, inside the caller's transaction. */
    public void write(Sql sql, CallRollup rollup) throws SQLException {
        SortedMap<LocalDateTime, double[]> byHour = new TreeMap<>();
        for (Call call : calls.values()) {
            double[] after = CallRollup.sumsOf(call);
            double[] was = before.get(call.id);
            double[] change = byHour.computeIfAbsent(CallRollup.hourOf(call.startedAt), h -> new double[after.length]);
            for (int i = 0; i < after.length; i++) {
                change[i] += after[i] - was[i];
            }
        }
        rollup.add(sql, byHour);
        calls.clear();
        before.clear();
    }

    /** {@link #write(Sql, CallRollup)} in the caller's JPA transaction. */
    public void write(EntityManager em, CallRollup rollup) {
        try {
            write(Sql.of(em), rollup);
        } catch (SQLException e) {
            throw new PersistenceException(e); // not thrown through an EntityManager; here for the signature
        }
    }
}
