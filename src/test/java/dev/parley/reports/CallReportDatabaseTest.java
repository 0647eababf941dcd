package dev.parley.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import dev.parley.db.Sql;
import dev.parley.testing.MigratedDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reports' SQL on the real databases (H2, and the local PostgreSQL in a schema of its own), against a seeded
 * random history whose every figure is recomputed here independently, in Java, and compared exactly.
 */
class CallReportDatabaseTest {

    private record Seeded(String room, Instant started, Long setupMs, Long durationS, String reason,
                          String callerType, String calleeType, Double callerRtt, Double calleeRtt,
                          Double callerLoss, Double calleeLoss) {
        boolean answered() {
            return setupMs != null;
        }
    }

    private static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z"); // a Monday
    private static final Instant TO = FROM.plus(21, ChronoUnit.DAYS);
    private static final List<String> REASONS = List.of("hangup", "missed", "rejected", "cancelled", "left", "disconnected");
    private static final List<String> TYPES = List.of("host", "srflx", "relay");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyReportFigureMatchesAnIndependentComputation(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            List<Seeded> calls = seed(db, new Random(20261123L), 600);
            CallReport report = new CallReport(db, database.isH2(), java.util.concurrent.ForkJoinPool.commonPool());
            assertReport(report, calls, FROM, TO);
            // Ranges that cut through hours: whole hours come from the rollup, the cut ones from the calls.
            assertReport(report, calls, FROM.plusSeconds(5_417), TO.minusSeconds(11_111));
            assertReport(report, calls, FROM.plusSeconds(600), FROM.plusSeconds(1_800)); // inside one hour
            assertReport(report, calls, FROM.plusSeconds(3_000), FROM.plusSeconds(4_000)); // across one boundary
            List<CallReport.RoomRow> rooms = report.rooms(FROM, TO, 3);
            Map<String, List<Seeded>> byRoom = calls.stream().filter(c -> !c.started().isBefore(FROM)
                    && c.started().isBefore(TO)).collect(Collectors.groupingBy(Seeded::room));
            List<String> busiest = byRoom.entrySet().stream().sorted(Comparator
                    .comparing((Map.Entry<String, List<Seeded>> e) -> -e.getValue().size()).thenComparing(Map.Entry::getKey))
                    .limit(3).map(Map.Entry::getKey).toList();
            assertEquals(busiest, rooms.stream().map(CallReport.RoomRow::room).toList());
            for (CallReport.RoomRow room : rooms) {
                List<Seeded> in = byRoom.get(room.room());
                assertEquals(in.size(), room.calls());
                assertEquals(in.stream().filter(Seeded::answered).count(), room.answered());
                assertEquals(in.stream().mapToLong(Seeded::durationS).sum(), room.totalDurationS());
                assertEquals(in.stream().map(Seeded::started).max(Comparator.naturalOrder()).orElseThrow(), room.lastCallAt());
            }
            assertEquals(List.of(), report.calls(TO, TO.plusSeconds(3600), CallReport.Interval.DAY));
            List<Seeded> answered = calls.stream().filter(c -> c.answered() && !c.started().isBefore(FROM)
                    && c.started().isBefore(TO)).toList();
            assertEquals(buckets(answered.stream().map(Seeded::setupMs).toList(), CallReport.SETUP_MS_BOUNDS),
                    report.distribution(FROM, TO, true).counts());
            assertEquals(buckets(answered.stream().map(Seeded::durationS).toList(), CallReport.DURATION_S_BOUNDS),
                    report.distribution(FROM, TO, false).counts());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCallInProgressHasASetupTimeButNoDurationYet(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            seed(db, new Random(1L), 0);
            Instant started = FROM.plusSeconds(3_600);
            try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement("INSERT INTO "
                    + "parley_call (id, room_id, room_name, caller_id, caller_name, callee_id, callee_name, status, "
                    + "started_at, answered_at, ended_at, end_reason, setup_ms, duration_s, instance_id) "
                    + "VALUES (?, 'r', 'r', 'a', 'A', 'b', 'B', ?, ?, ?, ?, ?, 1500, ?, 't')")) {
                // What the history writer leaves: an ended 10-minute call, and an answered one still going (0 s).
                for (boolean ended : new boolean[] {true, false}) {
                    insert.setString(1, ended ? "ended" : "active");
                    insert.setString(2, ended ? "ended" : "active");
                    insert.setTimestamp(3, ts(started));
                    insert.setTimestamp(4, ts(started.plusMillis(1_500)));
                    insert.setTimestamp(5, ended ? ts(started.plusSeconds(602)) : null);
                    insert.setString(6, ended ? "hangup" : null);
                    insert.setLong(7, ended ? 600 : 0);
                    insert.executeUpdate();
                }
            }
            CallReport report = new CallReport(db, database.isH2(), java.util.concurrent.ForkJoinPool.commonPool());

            assertEquals(buckets(List.of(600L), CallReport.DURATION_S_BOUNDS), report.distribution(FROM, TO, false).counts());
            assertEquals(buckets(List.of(1500L, 1500L), CallReport.SETUP_MS_BOUNDS), report.distribution(FROM, TO, true).counts());
        }
    }

    private static void assertReport(CallReport report, List<Seeded> calls, Instant from, Instant to) throws Exception {
        for (CallReport.Interval interval : CallReport.Interval.values()) {
            List<CallReport.Row> rows = report.calls(from, to, interval);
            Map<String, List<Seeded>> expected = calls.stream().filter(c -> !c.started().isBefore(from)
                    && c.started().isBefore(to)).collect(Collectors.groupingBy(c -> CallReport.period(
                    LocalDateTime.ofInstant(truncate(c.started(), interval), ZoneOffset.UTC), interval),
                    TreeMap::new, Collectors.toList()));
            String range = interval + " from " + from + " to " + to;
            assertEquals(List.copyOf(expected.keySet()), rows.stream().map(CallReport.Row::period).toList(),
                    range + ": periods, oldest first, none without calls");
            for (CallReport.Row row : rows) {
                assertRow(expected.get(row.period()), row);
            }
        }
    }

    private static void assertRow(List<Seeded> calls, CallReport.Row row) {
        String at = row.period();
        assertEquals(calls.size(), row.calls(), at);
        assertEquals(calls.stream().filter(Seeded::answered).count(), row.answered(), at);
        assertEquals(calls.stream().filter(c -> c.reason().equals("missed")).count(), row.missed(), at);
        assertEquals(calls.stream().filter(c -> c.reason().equals("rejected")).count(), row.rejected(), at);
        assertClose(average(calls.stream().filter(Seeded::answered).map(c -> (double) c.durationS()).toList()),
                row.avgDurationS(), at + " avgDurationS");
        List<Double> setups = calls.stream().filter(Seeded::answered).map(c -> (double) c.setupMs()).sorted().toList();
        assertClose(average(setups), row.avgSetupMs(), at + " avgSetupMs");
        assertClose(percentileCont(setups, 0.95), row.p95SetupMs(), at + " p95SetupMs");
        List<Seeded> typed = calls.stream().filter(c -> c.callerType() != null || c.calleeType() != null).toList();
        assertClose(typed.isEmpty() ? null : typed.stream().filter(c -> "relay".equals(c.callerType())
                || "relay".equals(c.calleeType())).count() / (double) typed.size(), row.relayShare(), at + " relayShare");
        assertClose(average(values(calls, Seeded::callerRtt, Seeded::calleeRtt)), row.avgRttMs(), at + " avgRttMs");
        assertClose(average(values(calls, Seeded::callerLoss, Seeded::calleeLoss)), row.avgPacketsLostPct(), at + " loss");
    }

    private static List<Long> buckets(List<Long> values, long[] bounds) {
        Long[] counts = new Long[bounds.length + 1];
        java.util.Arrays.fill(counts, 0L);
        for (long v : values) {
            int i = 0;
            while (i < bounds.length && v >= bounds[i]) {
                i++;
            }
            counts[i]++;
        }
        return List.of(counts);
    }

    private static List<Double> values(List<Seeded> calls, Function<Seeded, Double> a, Function<Seeded, Double> b) {
        List<Double> all = new ArrayList<>();
        for (Seeded c : calls) {
            if (a.apply(c) != null) {
                all.add(a.apply(c));
            }
            if (b.apply(c) != null) {
                all.add(b.apply(c));
            }
        }
        return all;
    }

    /** SQL's PERCENTILE_CONT: linear interpolation between the two closest ranks. */
    static Double percentileCont(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        double rank = p * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted.get(low) + (rank - low) * (sorted.get(high) - sorted.get(low));
    }

    private static Double average(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
    }

    private static void assertClose(Double expected, Double actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
        } else {
            assertEquals(expected, actual, 1e-6, what);
        }
    }

    private static Instant truncate(Instant t, CallReport.Interval interval) {
        return switch (interval) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> {
                Instant day = t.truncatedTo(ChronoUnit.DAYS);
                int fromMonday = LocalDateTime.ofInstant(day, ZoneOffset.UTC).getDayOfWeek().getValue() - 1;
                yield day.minus(fromMonday, ChronoUnit.DAYS);
            }
        };
    }

    /** Random calls, some outside the report window on either side, every optional field sometimes missing. */
    private static List<Seeded> seed(DataSource db, Random random, int count) throws Exception {
        List<Seeded> calls = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement room = c.prepareStatement("INSERT INTO parley_room (id, name, capacity, has_password, "
                    + "created_at, instance_id) VALUES ('r', 'r', 2, FALSE, ?, 't')")) {
                room.setTimestamp(1, Timestamp.valueOf(LocalDateTime.of(2026, 1, 1, 0, 0)));
                room.executeUpdate();
            }
            PreparedStatement insert = c.prepareStatement("INSERT INTO parley_call (id, room_id, room_name, caller_id, "
                    + "caller_name, callee_id, callee_name, status, started_at, answered_at, ended_at, end_reason, "
                    + "setup_ms, duration_s, instance_id, caller_candidate_type, callee_candidate_type, caller_rtt_ms, "
                    + "callee_rtt_ms, caller_packets_lost_pct, callee_packets_lost_pct) "
                    + "VALUES (?, 'r', ?, 'a', 'A', 'b', 'B', 'ended', ?, ?, ?, ?, ?, ?, 't', ?, ?, ?, ?, ?, ?)");
            for (int i = 0; i < count; i++) {
                Instant started = FROM.minus(2, ChronoUnit.DAYS)
                        .plusMillis((long) (random.nextDouble() * 25 * 86_400_000L));
                String reason = REASONS.get(random.nextInt(REASONS.size()));
                boolean answered = reason.equals("hangup") || (reason.equals("left") && random.nextBoolean())
                        || (reason.equals("disconnected") && random.nextBoolean());
                Long setup = answered ? (long) random.nextInt(5000) : null;
                long duration = answered ? random.nextInt(3600) : 0;
                Instant answeredAt = answered ? started.plusMillis(setup) : null;
                Instant ended = (answered ? answeredAt : started).plusSeconds(duration).plusMillis(random.nextInt(999));
                Seeded s = new Seeded("room-" + random.nextInt(6), started, setup, duration, reason,
                        random.nextInt(4) == 0 ? null : TYPES.get(random.nextInt(3)),
                        random.nextInt(4) == 0 ? null : TYPES.get(random.nextInt(3)),
                        random.nextInt(3) == 0 ? null : random.nextInt(300) + random.nextInt(100) / 100.0,
                        random.nextInt(3) == 0 ? null : random.nextInt(300) + random.nextInt(100) / 100.0,
                        random.nextInt(3) == 0 ? null : random.nextInt(50) / 10.0,
                        random.nextInt(3) == 0 ? null : random.nextInt(50) / 10.0);
                calls.add(s);
                insert.setString(1, "c" + i);
                insert.setString(2, s.room());
                insert.setTimestamp(3, ts(started));
                insert.setTimestamp(4, ts(answeredAt));
                insert.setTimestamp(5, ts(ended));
                insert.setString(6, reason);
                insert.setObject(7, setup);
                insert.setLong(8, duration);
                insert.setString(9, s.callerType());
                insert.setString(10, s.calleeType());
                insert.setObject(11, s.callerRtt());
                insert.setObject(12, s.calleeRtt());
                insert.setObject(13, s.callerLoss());
                insert.setObject(14, s.calleeLoss());
                insert.addBatch();
            }
            insert.executeBatch();
            // What the history writer does after changing calls: recount the hours they started in.
            c.setAutoCommit(false);
            new CallRollup(c.getMetaData().getDatabaseProductName().contains("H2")).refresh(Sql.of(c), calls.stream()
                    .map(s -> LocalDateTime.ofInstant(s.started(), ZoneOffset.UTC)).toList());
            c.commit();
        }
        return calls;
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
    }
}
