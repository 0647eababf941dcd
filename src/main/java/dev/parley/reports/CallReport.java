package dev.parley.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Calls per period and the busiest rooms, aggregated by the database itself in one query each (never by
 * loading rows into Java), so a report over a million calls costs one index range scan.
 */
public final class CallReport {

    public enum Interval { HOUR, DAY, WEEK }

    /** One period. Averages are null where nothing was there to average. */
    public record Row(String period, long calls, long answered, long missed, long rejected, Double avgDurationS,
                      Double avgSetupMs, Double p95SetupMs, Double relayShare, Double avgRttMs,
                      Double avgPacketsLostPct) {
    }

    public record RoomRow(String room, long calls, long answered, long totalDurationS, Double avgDurationS,
                          Instant lastCallAt) {
    }

    /*
     * The additive figures come from the per-hour rollup (CallRollup): a 30-day report sums 720 rows instead of
     * reading every call. Only hours the range cuts through are counted from the calls themselves. The p95
     * setup time cannot be summed, so it is read from the answered calls' setup times (a narrow index on
     * PostgreSQL), on a second connection while the sums are added up.
     */
    private static final String ROLLUP_PER_PERIOD = "SELECT DATE_TRUNC('%1$s', hour_start), "
            + "SUM(calls), SUM(answered), SUM(missed), SUM(rejected), SUM(duration_sum), SUM(duration_n), "
            + "SUM(setup_sum), SUM(setup_n), SUM(relayed), SUM(typed), SUM(rtt_sum), SUM(rtt_n), SUM(loss_sum), "
            + "SUM(loss_n) FROM parley_call_hour WHERE hour_start >= ? AND hour_start < ? GROUP BY DATE_TRUNC('%1$s', hour_start)";

    private static final String EDGES_PER_PERIOD = "SELECT DATE_TRUNC('%1$s', started_at), " + CallRollup.SUMS
            + " FROM parley_call WHERE (started_at >= ? AND started_at < ?) OR (started_at >= ? AND started_at < ?)"
            + " GROUP BY DATE_TRUNC('%1$s', started_at)";

    private static final String P95_PER_PERIOD = """
            SELECT period, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY setup_ms)
            FROM (SELECT DATE_TRUNC('%1$s', started_at) AS period, setup_ms FROM parley_call
                  WHERE started_at >= ? AND started_at < ? AND setup_ms IS NOT NULL) t
            GROUP BY period""";

    private static final String PER_ROOM = """
            SELECT room_name, COUNT(*),
              SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END),
              SUM(COALESCE(duration_s, 0)),
              AVG(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN duration_s END),
              MAX(started_at)
            FROM parley_call WHERE started_at >= ? AND started_at < ?
            GROUP BY room_name ORDER BY COUNT(*) DESC, room_name LIMIT ?""";

    /** A histogram: bucket labels with upper bounds (exclusive; the last is open-ended) and counts. */
    public record Distribution(List<String> labels, List<Long> counts) {
    }

    /** Bucket upper bounds: setup time in milliseconds, duration in seconds (answered calls only). */
    public static final long[] SETUP_MS_BOUNDS = {250, 500, 1000, 2000, 5000};
    public static final long[] DURATION_S_BOUNDS = {10, 60, 300, 900, 1800};

    private final DataSource dataSource;
    private final boolean h2;
    private final Executor executor;

    public CallReport(DataSource dataSource, boolean h2, Executor executor) {
        this.dataSource = dataSource;
        this.h2 = h2;
        this.executor = executor;
    }

    public List<Row> calls(Instant from, Instant to, Interval interval) throws SQLException {
        String unit = switch (interval) {
            case HOUR -> "hour";
            case DAY -> "day";
            case WEEK -> h2 ? "ISO_WEEK" : "week"; // weeks start on Monday in both
        };
        // The two queries run side by side on two connections: each takes about half of the report's time.
        CompletableFuture<Map<LocalDateTime, Double>> p95 = CompletableFuture.supplyAsync(() -> {
            try {
                return p95(from, to, unit);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, executor);
        LocalDateTime start = LocalDateTime.ofInstant(from, ZoneOffset.UTC);
        LocalDateTime end = LocalDateTime.ofInstant(to, ZoneOffset.UTC);
        LocalDateTime firstWholeHour = CallRollup.hourOf(start).equals(start) ? start : CallRollup.hourOf(start).plusHours(1);
        LocalDateTime lastWholeHour = CallRollup.hourOf(end);
        if (!firstWholeHour.isBefore(lastWholeHour)) { // no whole hour inside: count it all from the calls
            firstWholeHour = end;
            lastWholeHour = end;
        }
        Map<LocalDateTime, double[]> sums = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement q = c.prepareStatement(ROLLUP_PER_PERIOD.formatted(unit))) {
                q.setTimestamp(1, Timestamp.valueOf(firstWholeHour));
                q.setTimestamp(2, Timestamp.valueOf(lastWholeHour));
                add(q, sums);
            }
            try (PreparedStatement q = c.prepareStatement(EDGES_PER_PERIOD.formatted(unit))) {
                q.setTimestamp(1, Timestamp.valueOf(start));
                q.setTimestamp(2, Timestamp.valueOf(firstWholeHour));
                q.setTimestamp(3, Timestamp.valueOf(lastWholeHour));
                q.setTimestamp(4, Timestamp.valueOf(end));
                add(q, sums);
            }
        }
        Map<LocalDateTime, Double> percentiles = join(p95);
        List<Row> report = new ArrayList<>(sums.size());
        sums.forEach((period, f) -> {
            if (f[0] > 0) {
                report.add(new Row(period(period, interval), (long) f[0], (long) f[1], (long) f[2], (long) f[3],
                        ratio(f[4], (long) f[5]), ratio(f[6], (long) f[7]), percentiles.get(period),
                        ratio(f[8], (long) f[9]), ratio(f[10], (long) f[11]), ratio(f[12], (long) f[13])));
            }
        });
        return report;
    }

    /** Adds each period's 14 sums (in {@link CallRollup#COLUMNS} order) to what {@code sums} holds already. */
    private static void add(PreparedStatement query, Map<LocalDateTime, double[]> sums) throws SQLException {
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                double[] into = sums.computeIfAbsent(r.getTimestamp(1).toLocalDateTime(), p -> new double[14]);
                for (int i = 0; i < 14; i++) {
                    into[i] += r.getDouble(i + 2);
                }
            }
        }
    }

    private Map<LocalDateTime, Double> p95(Instant from, Instant to, String unit) throws SQLException {
        Map<LocalDateTime, Double> p95 = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(P95_PER_PERIOD.formatted(unit))) {
            q.setTimestamp(1, utc(from));
            q.setTimestamp(2, utc(to));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    p95.put(r.getTimestamp(1).toLocalDateTime(), decimal(r, 2));
                }
            }
        }
        return p95;
    }

    private static <T> T join(CompletableFuture<T> future) throws SQLException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    public List<RoomRow> rooms(Instant from, Instant to, int limit) throws SQLException {
        List<RoomRow> rooms = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(PER_ROOM)) {
            q.setTimestamp(1, utc(from));
            q.setTimestamp(2, utc(to));
            q.setInt(3, limit);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rooms.add(new RoomRow(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), decimal(r, 5),
                            r.getTimestamp(6).toLocalDateTime().toInstant(ZoneOffset.UTC)));
                }
            }
        }
        return rooms;
    }

    /**
     * Answered calls by setup time ({@code setup_ms}), or answered calls that ended by duration ({@code duration_s}),
     * counted in SQL.
     */
    public Distribution distribution(Instant from, Instant to, boolean setup) throws SQLException {
        String column = setup ? "setup_ms" : "duration_s";
        long[] bounds = setup ? SETUP_MS_BOUNDS : DURATION_S_BOUNDS;
        String unit = setup ? " ms" : " s";
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> labels = new ArrayList<>();
        long lower = 0;
        for (long bound : bounds) {
            sql.append("SUM(CASE WHEN ").append(column).append(" >= ").append(lower).append(" AND ").append(column)
                    .append(" < ").append(bound).append(" THEN 1 ELSE 0 END), ");
            labels.add(lower + "–" + bound + unit);
            lower = bound;
        }
        sql.append("SUM(CASE WHEN ").append(column).append(" >= ").append(lower).append(" THEN 1 ELSE 0 END) ")
                .append("FROM parley_call WHERE answered_at IS NOT NULL AND started_at >= ? AND started_at < ?");
        if (!setup) {
            // A call in progress has no duration yet (its row says 0): as in avgDurationS, only ended ones count.
            sql.append(" AND ended_at IS NOT NULL");
        }
        labels.add("≥ " + lower + unit);
        List<Long> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql.toString())) {
            q.setTimestamp(1, utc(from));
            q.setTimestamp(2, utc(to));
            try (ResultSet r = q.executeQuery()) {
                r.next();
                for (int i = 1; i <= labels.size(); i++) {
                    counts.add(r.getLong(i));
                }
            }
        }
        return new Distribution(labels, counts);
    }

    static String period(LocalDateTime start, Interval interval) {
        return switch (interval) {
            case HOUR -> start.toLocalDate() + "T" + String.format("%02d", start.getHour()) + ":00:00Z";
            case DAY -> start.toLocalDate().toString();
            case WEEK -> String.format("%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR),
                    start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        };
    }

    private static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Double decimal(ResultSet r, int column) throws SQLException {
        double value = r.getDouble(column);
        return r.wasNull() ? null : value;
    }

    private static Double ratio(double sum, long count) {
        return count == 0 ? null : sum / count;
    }
}
