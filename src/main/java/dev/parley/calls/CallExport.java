package dev.parley.calls;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Streams every call matching a filter, newest first, in one query read through a database cursor
 * (fetch size {@value #FETCH}), so an export of a million rows holds a thousand in memory and costs one index
 * scan. The rows become {@link Call} objects only long enough to be written.
 */
public final class CallExport {

    public interface Sink {
        void accept(Call call) throws java.io.IOException;
    }

    private static final int FETCH = 1000;
    private static final String COLUMNS = "id, room_name, caller_id, caller_name, callee_id, callee_name, status, "
            + "started_at, answered_at, ended_at, end_reason, duration_s, setup_ms, caller_rtt_ms, caller_jitter_ms, "
            + "caller_packets_lost_pct, caller_bitrate_kbps, caller_candidate_type, callee_rtt_ms, callee_jitter_ms, "
            + "callee_packets_lost_pct, callee_bitrate_kbps, callee_candidate_type";

    private final DataSource dataSource;

    public CallExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void forEach(CallFilter f, Sink sink) throws SQLException, java.io.IOException {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (f.room() != null) {
            where.add("room_name = ?");
            args.add(f.room());
        }
        if (f.status() != null) {
            where.add("status = ?");
            args.add(f.status());
        }
        if (f.reason() != null) {
            where.add("end_reason = ?");
            args.add(f.reason());
        }
        if (f.from() != null) {
            where.add("started_at >= ?");
            args.add(Timestamp.valueOf(LocalDateTime.ofInstant(f.from(), ZoneOffset.UTC)));
        }
        if (f.to() != null) {
            where.add("started_at < ?");
            args.add(Timestamp.valueOf(LocalDateTime.ofInstant(f.to(), ZoneOffset.UTC)));
        }
        if (f.participant() != null) {
            where.add("(LOWER(caller_name) LIKE ? ESCAPE '\\' OR LOWER(callee_name) LIKE ? ESCAPE '\\')");
            String like = "%" + f.participant().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            args.add(like);
            args.add(like);
        }
        if (f.minDurationS() != null) {
            where.add("duration_s >= ?");
            args.add(f.minDurationS());
        }
        String sql = "SELECT " + COLUMNS + " FROM parley_call"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY started_at DESC, id DESC";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL reads through a cursor only inside a transaction
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setFetchSize(FETCH);
                for (int i = 0; i < args.size(); i++) {
                    q.setObject(i + 1, args.get(i));
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        sink.accept(call(r));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static Call call(ResultSet r) throws SQLException {
        Call c = new Call();
        c.id = r.getString(1);
        c.roomName = r.getString(2);
        c.callerId = r.getString(3);
        c.callerName = r.getString(4);
        c.calleeId = r.getString(5);
        c.calleeName = r.getString(6);
        c.status = r.getString(7);
        c.startedAt = time(r, 8);
        c.answeredAt = time(r, 9);
        c.endedAt = time(r, 10);
        c.endReason = r.getString(11);
        c.durationS = number(r, 12);
        c.setupMs = number(r, 13);
        c.callerQuality = quality(r, 14);
        c.calleeQuality = quality(r, 19);
        return c;
    }

    private static CallQuality quality(ResultSet r, int first) throws SQLException {
        CallQuality q = new CallQuality();
        q.rttMs = decimal(r, first);
        q.jitterMs = decimal(r, first + 1);
        q.packetsLostPct = decimal(r, first + 2);
        q.bitrateKbps = decimal(r, first + 3);
        q.candidateType = r.getString(first + 4);
        return q;
    }

    private static LocalDateTime time(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toLocalDateTime();
    }

    private static Long number(ResultSet r, int column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? null : value;
    }

    private static Double decimal(ResultSet r, int column) throws SQLException {
        double value = r.getDouble(column);
        return r.wasNull() ? null : value;
    }
}
