package dev.parley.bench;

import dev.parley.calls.Call;
import dev.parley.db.Sql;
import dev.parley.reports.CallRollup;
import dev.parley.reports.CallRollupChanges;
import dev.parley.testing.MigratedDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What keeping the per-hour report sums costs the history writer per batch, as the hour fills: recounting the hour
 * from its calls ({@link CallRollup#refresh}, what the writer did before) against adding the batch's changes
 * ({@link CallRollupChanges}, what it does now). On H2 in memory and on the local PostgreSQL, with 1,000 to 100,000
 * calls already in the hour; one batch is 40 calls answered.
 *
 * <p>Run: {@code mvn -B -DskipTests package org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.parley.bench.RollupBenchmark -Dexec.classpathScope=test}. It prints figures; it never fails on them.
 */
public final class RollupBenchmark {

    private static final LocalDateTime HOUR = LocalDateTime.of(2026, 12, 3, 10, 0);
    private static final int BATCH = 40;
    private static final int ROUNDS = 30;

    public static void main(String[] args) throws Exception {
        System.out.println("per batch of " + BATCH + " calls changed, median of " + ROUNDS + " batches, ms");
        System.out.printf("%-10s %12s %12s %12s%n", "database", "calls in hour", "recount", "add changes");
        for (String kind : List.of("h2", "postgres")) {
            try (MigratedDatabase database = MigratedDatabase.of(kind)) {
                DataSource db = database.dataSource();
                CallRollup rollup = new CallRollup(database.isH2());
                int seeded = 0;
                for (int inHour : new int[] {1_000, 10_000, 100_000}) {
                    seed(db, seeded, inHour);
                    seeded = inHour;
                    if (!database.isH2()) {
                        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                            s.execute("ANALYZE parley_call");
                        }
                    }
                    double recount = median(db, c -> rollup.refresh(Sql.of(c), List.of(HOUR)));
                    double add = median(db, c -> {
                        CallRollupChanges changes = new CallRollupChanges();
                        for (int i = 0; i < BATCH; i++) {
                            Call call = call(i);
                            changes.changing(call);
                            call.answeredAt = call.startedAt.plusSeconds(1);
                            call.setupMs = 1000L;
                            call.status = "active";
                        }
                        changes.write(Sql.of(c), rollup);
                    });
                    System.out.printf("%-10s %,12d %12.2f %12.2f%n", kind, inHour, recount, add);
                }
            }
        }
    }

    private interface Batch {
        void run(Connection c) throws Exception;
    }

    /** The median time of a batch, each in a transaction that is rolled back so that every round sees the same hour. */
    private static double median(DataSource db, Batch batch) throws Exception {
        List<Double> times = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < ROUNDS + 5; i++) {
                long start = System.nanoTime();
                batch.run(c);
                long took = System.nanoTime() - start;
                c.rollback();
                if (i >= 5) {
                    times.add(took / 1e6);
                }
            }
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    private static Call call(int i) {
        Call call = new Call();
        call.id = "c" + i;
        call.startedAt = HOUR.plusSeconds(i % 3600);
        call.status = "ringing";
        call.durationS = 0L;
        return call;
    }

    /** Calls {@code from} to {@code to} into the hour, all ended and answered, and the hour's sums for them. */
    private static void seed(DataSource db, int from, int to) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            if (from == 0) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO parley_room (id, name, capacity, has_password, created_at, instance_id) "
                            + "VALUES ('r', 'r', 2, FALSE, TIMESTAMP '2026-12-03 09:00:00', 't')");
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO parley_call (id, room_id, room_name, caller_id, "
                    + "caller_name, callee_id, callee_name, status, started_at, answered_at, ended_at, end_reason, setup_ms, "
                    + "duration_s, instance_id) VALUES (?, 'r', 'r', 'a', 'A', 'b', 'B', 'ended', ?, ?, ?, 'hangup', 900, 60, 't')")) {
                for (int i = from; i < to; i++) {
                    LocalDateTime started = HOUR.plusNanos((long) i * 3_600_000_000_000L / 100_000);
                    insert.setString(1, "seed" + i);
                    insert.setTimestamp(2, Timestamp.valueOf(started));
                    insert.setTimestamp(3, Timestamp.valueOf(started.plusNanos(900_000_000)));
                    insert.setTimestamp(4, Timestamp.valueOf(started.plusSeconds(61)));
                    insert.addBatch();
                    if (i % 5_000 == 4_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            new CallRollup(c.getMetaData().getDatabaseProductName().contains("H2")).rebuild(Sql.of(c));
            c.commit();
        }
    }
}
