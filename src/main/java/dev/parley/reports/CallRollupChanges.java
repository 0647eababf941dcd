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

    private static final double[] NONE = new double[CallRollup.FIGURES.size()];

    /** A call named so far, and its share before this transaction changed it. */
    private record Named(Call call, double[] before) {
    }

    private final Map<String, Named> named = new HashMap<>();

    /** The call with this id that this transaction created or named as changing, if any: it is already locked. */
    public Call named(String callId) {
        Named n = named.get(callId);
        return n == null ? null : n.call();
    }

    /** A call this transaction creates: it had no share before. */
    public void added(Call call) {
        named.putIfAbsent(call.id, new Named(call, NONE));
    }

    /** A call this transaction is about to change (only its first change in the transaction counts). */
    public void changing(Call call) {
        named.computeIfAbsent(call.id, id -> new Named(call, CallRollup.sumsOf(call)));
    }

    /** Adds the changes to the hours' sums, inside the caller's transaction. */
    public void write(Sql sql, CallRollup rollup) throws SQLException {
        SortedMap<LocalDateTime, double[]> byHour = new TreeMap<>();
        for (Named n : named.values()) {
            double[] after = CallRollup.sumsOf(n.call());
            double[] change = byHour.computeIfAbsent(CallRollup.hourOf(n.call().startedAt), h -> new double[after.length]);
            for (int i = 0; i < after.length; i++) {
                change[i] += after[i] - n.before()[i];
            }
        }
        rollup.add(sql, byHour);
        named.clear();
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
