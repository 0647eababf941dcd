package dev.parley.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.calls.Call;
import dev.parley.calls.CallQuality;
import dev.parley.db.Sql;
import dev.parley.testing.MigratedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-hour report sums kept by adding each transaction's changes to calls ({@link CallRollupChanges}), on the
 * real databases: after random call lives (start, answer, end, quality reports that replace earlier ones) the
 * sums must equal a recount of the calls, also while other transactions recount the same hours.
 */
class CallRollupChangesTest {

    private static final LocalDateTime HOUR = LocalDateTime.of(2026, 3, 2, 9, 0);
    private static final String[] REASONS = {"hangup", "missed", "rejected", "cancelled", "left", "disconnected"};
    private static final String[] TYPES = {"host", "srflx", "relay"};

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void addingEachTransactionsChangesKeepsTheSumsThoseOfTheCalls(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            CallRollup rollup = new CallRollup(database.isH2());
            int transactions = new CallLives(db, rollup, new Random(20261203L), 300).run(new AtomicBoolean());
            assertTrue(transactions > 20, "the lives took many transactions: " + transactions);
            assertSumsAreARecount(db, rollup);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void additionsAndRecountsOfTheSameHoursInConcurrentTransactionsAddUp(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            CallRollup rollup = new CallRollup(database.isH2());
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger recounts = new AtomicInteger();
            // Recounts as the purge makes them, in their own transactions, all through the lives below.
            CompletableFuture<Void> recounting = CompletableFuture.runAsync(() -> {
                try (Connection c = db.getConnection()) {
                    c.setAutoCommit(false);
                    while (!done.get()) {
                        rollup.refresh(Sql.of(c), List.of(HOUR, HOUR.plusHours(1), HOUR.plusHours(2)));
                        c.commit();
                        recounts.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            new CallLives(db, rollup, new Random(7L), 300).run(done);
            recounting.join();
            assertTrue(recounts.get() > 5, "recounts ran alongside: " + recounts.get());
            assertSumsAreARecount(db, rollup);
        }
    }

    /** Reads the sums, recounts every hour from the calls, and compares: whole numbers exactly, sums of decimals closely. */
    private static void assertSumsAreARecount(DataSource db, CallRollup rollup) throws SQLException {
        List<double[]> added = hours(db);
        try (Connection c = db.getConnection()) {
            rollup.rebuild(Sql.of(c));
        }
        List<double[]> recounted = hours(db);
        assertEquals(3, recounted.size(), "three hours of calls");
        assertEquals(recounted.size(), added.size());
        for (int h = 0; h < recounted.size(); h++) {
            assertTrue(recounted.get(h)[1] > 50, "each hour holds calls");
            for (int i = 0; i < recounted.get(h).length; i++) {
                assertEquals(recounted.get(h)[i], added.get(h)[i], 1e-6, "hour " + h + ", figure " + i + " of (hour, "
                        + CallRollup.COLUMNS + ")");
            }
        }
    }

    private static List<double[]> hours(DataSource db) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT hour_start, " + CallRollup.COLUMNS + " FROM parley_call_hour ORDER BY hour_start")) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                double[] row = new double[columns];
                row[0] = r.getTimestamp(1).toLocalDateTime().getHour();
                for (int i = 1; i < columns; i++) {
                    row[i] = r.getDouble(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Calls living random lives over three hours, written as the history writer and the quality reports write them:
     * a few steps per transaction, each call's share taken before its change, the changes added at the end.
     */
    private record CallLives(DataSource db, CallRollup rollup, Random random, int count) {

        /** Runs every call to its end and the quality reports after it; sets {@code done}; returns the transactions. */
        int run(AtomicBoolean done) throws SQLException {
            List<Call> living = new ArrayList<>();
            int started = 0;
            int transactions = 0;
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO parley_room (id, name, capacity, has_password, created_at, instance_id) "
                            + "VALUES ('r', 'r', 2, FALSE, TIMESTAMP '2026-03-02 08:00:00', 't')");
                }
                c.commit();
                while (started < count || !living.isEmpty()) {
                    CallRollupChanges changes = new CallRollupChanges();
                    for (int step = 0; step < 1 + random.nextInt(12); step++) {
                        if (started < count && (living.isEmpty() || random.nextInt(3) == 0)) {
                            Call call = start(started++);
                            insert(c, call);
                            changes.added(call);
                            living.add(call);
                        } else if (!living.isEmpty()) {
                            Call call = living.get(random.nextInt(living.size()));
                            changes.changing(call);
                            if (step(call)) {
                                living.remove(call);
                            }
                            update(c, call);
                        }
                    }
                    changes.write(Sql.of(c), rollup);
                    c.commit();
                    transactions++;
                }
            } finally {
                done.set(true);
            }
            return transactions;
        }

        private Call start(int i) {
            Call call = new Call();
            call.id = "c" + i;
            call.startedAt = HOUR.plusSeconds(random.nextInt(3 * 3600));
            call.status = "ringing";
            call.durationS = 0L;
            return call;
        }

        /** One step of a call's life; true when nothing more happens to it. */
        private boolean step(Call call) {
            LocalDateTime now = call.startedAt.plusSeconds(1 + random.nextInt(600));
            switch (call.status) {
                case "ringing" -> {
                    if (random.nextBoolean()) {
                        call.status = "active";
                        call.answeredAt = call.startedAt.plusNanos(random.nextInt(5000) * 1_000_000L);
                        call.setupMs = Duration.between(call.startedAt, call.answeredAt).toMillis();
                    } else {
                        end(call, REASONS[1 + random.nextInt(REASONS.length - 1)], now);
                    }
                }
                case "active" -> end(call, random.nextBoolean() ? "hangup" : "disconnected", call.answeredAt.plusSeconds(random.nextInt(3600)));
                default -> {
                    // Ended: a quality report from either side, sometimes replacing that side's earlier one.
                    CallQuality quality = new CallQuality();
                    quality.rttMs = random.nextInt(3) == 0 ? null : random.nextInt(300) + random.nextInt(100) / 100.0;
                    quality.packetsLostPct = random.nextInt(3) == 0 ? null : random.nextInt(50) / 10.0;
                    quality.candidateType = random.nextInt(4) == 0 ? null : TYPES[random.nextInt(TYPES.length)];
                    if (random.nextBoolean()) {
                        call.callerQuality = quality;
                    } else {
                        call.calleeQuality = quality;
                    }
                    return random.nextInt(3) == 0;
                }
            }
            return false;
        }

        private static void end(Call call, String reason, LocalDateTime at) {
            call.status = "ended";
            call.endReason = reason;
            call.endedAt = at;
            call.durationS = call.answeredAt == null ? 0 : Duration.between(call.answeredAt, at).getSeconds();
        }

        private static void insert(Connection c, Call call) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO parley_call (id, room_id, room_name, caller_id, "
                    + "caller_name, callee_id, callee_name, status, started_at, duration_s, instance_id) "
                    + "VALUES (?, 'r', 'r', 'a', 'A', 'b', 'B', ?, ?, 0, 't')")) {
                s.setString(1, call.id);
                s.setString(2, call.status);
                s.setTimestamp(3, Timestamp.valueOf(call.startedAt));
                s.executeUpdate();
            }
        }

        private static void update(Connection c, Call call) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("UPDATE parley_call SET status = ?, answered_at = ?, ended_at = ?, "
                    + "end_reason = ?, setup_ms = ?, duration_s = ?, caller_rtt_ms = ?, caller_packets_lost_pct = ?, "
                    + "caller_candidate_type = ?, callee_rtt_ms = ?, callee_packets_lost_pct = ?, callee_candidate_type = ? "
                    + "WHERE id = ?")) {
                s.setString(1, call.status);
                s.setObject(2, call.answeredAt == null ? null : Timestamp.valueOf(call.answeredAt));
                s.setObject(3, call.endedAt == null ? null : Timestamp.valueOf(call.endedAt));
                s.setString(4, call.endReason);
                s.setObject(5, call.setupMs);
                s.setObject(6, call.durationS);
                CallQuality[] sides = {call.callerQuality, call.calleeQuality};
                for (int side = 0; side < 2; side++) {
                    CallQuality q = sides[side];
                    s.setObject(7 + 3 * side, q == null ? null : q.rttMs);
                    s.setObject(8 + 3 * side, q == null ? null : q.packetsLostPct);
                    s.setString(9 + 3 * side, q == null ? null : q.candidateType);
                }
                s.setString(13, call.id);
                s.executeUpdate();
            }
        }
    }
}
