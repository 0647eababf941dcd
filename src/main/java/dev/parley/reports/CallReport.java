package dev.parley.reports;

import dev.parley.db.Dialect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/** Calls per period, aggregated by the database itself (never by loading rows into Java). */
@ApplicationScoped
public class CallReport {

    public enum Interval { HOUR, DAY, WEEK }

    public record Row(String period, long calls, long answered, long missed, long rejected, Double avgDurationS,
                      Double p95SetupMs) {
    }

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    Dialect dialect;

    public List<Row> calls(Instant from, Instant to, Interval interval) {
        String unit = switch (interval) {
            case HOUR -> "hour";
            case DAY -> "day";
            case WEEK -> dialect.isoWeekUnit();
        };
        // The unit is one of three constants above, never user input.
        String sql = "SELECT period, COUNT(*), "
                + "SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN end_reason = 'missed' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN end_reason = 'rejected' THEN 1 ELSE 0 END), "
                + "AVG(CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL THEN duration_s END), "
                + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY setup_ms) "
                + "FROM (SELECT DATE_TRUNC('" + unit + "', started_at) AS period, answered_at, ended_at, end_reason, "
                + "duration_s, setup_ms FROM parley_call WHERE started_at >= ?1 AND started_at < ?2) t "
                + "GROUP BY period ORDER BY period";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql)
                .setParameter(1, Timestamp.valueOf(LocalDateTime.ofInstant(from, ZoneOffset.UTC)))
                .setParameter(2, Timestamp.valueOf(LocalDateTime.ofInstant(to, ZoneOffset.UTC)))
                .getResultList();
        List<Row> report = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            report.add(new Row(period(toLocal(r[0]), interval), count(r[1]), count(r[2]), count(r[3]), count(r[4]),
                    decimal(r[5]), decimal(r[6])));
        }
        return report;
    }

    static String period(LocalDateTime start, Interval interval) {
        return switch (interval) {
            case HOUR -> start.toLocalDate() + "T" + String.format("%02d", start.getHour()) + ":00:00Z";
            case DAY -> start.toLocalDate().toString();
            case WEEK -> String.format("%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR),
                    start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        };
    }

    private static LocalDateTime toLocal(Object value) {
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (value instanceof LocalDateTime l) {
            return l;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        throw new IllegalStateException("unexpected period type " + value);
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Double decimal(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
