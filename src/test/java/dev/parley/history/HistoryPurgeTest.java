package dev.parley.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import dev.parley.db.Sql;
import dev.parley.reports.CallRollup;
import dev.parley.testing.MigratedDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retention purge on the real databases (H2 in memory, and the local PostgreSQL in a schema of its own),
 * with the real migrations: old ended calls, departed participants, closed rooms and webhook events go; recent
 * history, calls still open and rooms something still refers to stay.
 */
class HistoryPurgeTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void purgeRemovesOnlyHistoryOlderThanTheCutoff(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            room(db, "old-room", NOW.minusSeconds(90 * 86400), NOW.minusSeconds(89 * 86400));
            room(db, "new-room", NOW.minusSeconds(3600), null);
            for (int i = 0; i < 25; i++) { // more than one batch of 10
                call(db, "old-call-" + i, "old-room", NOW.minusSeconds(80 * 86400), "ended");
            }
            call(db, "old-but-open", "new-room", NOW.minusSeconds(80 * 86400), "active");
            call(db, "new-call", "new-room", NOW.minusSeconds(60), "ended");
            participant(db, "gone", "old-room", NOW.minusSeconds(89 * 86400));
            participant(db, "here", "new-room", null);
            webhookEvent(db, "old-delivered", NOW.minusSeconds(80 * 86400), "delivered");
            webhookEvent(db, "old-dead", NOW.minusSeconds(80 * 86400), "dead");
            webhookEvent(db, "new-pending", NOW.minusSeconds(60), "pending");

            try (Connection c = db.getConnection()) {
                new CallRollup(database.isH2()).rebuild(Sql.of(c));
            }
            assertEquals(27, count(db, "parley_call_hour", "SUM(calls)"));

            long deleted = new HistoryPurge(db, 10, new CallRollup(database.isH2())).olderThan(NOW.minusSeconds(30 * 86400));

            assertEquals(25 + 1 + 1 + 2 + 4, deleted, "25 calls, one participant, one room, two webhook events and their deliveries");
            assertEquals(1, count(db, "parley_webhook_event WHERE id = 'new-pending'"), "recent webhook events stay");
            assertEquals(1, count(db, "parley_webhook_event"));
            assertEquals(2, count(db, "parley_webhook_delivery"), "the recent event's two deliveries");
            assertEquals(2, count(db, "parley_call"));
            assertEquals(1, count(db, "parley_call WHERE id = 'old-but-open'"), "calls still open are never purged");
            assertEquals(1, count(db, "parley_participant"));
            assertEquals(1, count(db, "parley_room"));
            assertEquals(2, count(db, "parley_call_hour", "SUM(calls)"), "the call report no longer counts purged calls");
            assertEquals(1, count(db, "parley_call_hour WHERE hour_start = '"
                    + LocalDateTime.ofInstant(NOW.minusSeconds(80 * 86400), ZoneOffset.UTC).toString().replace('T', ' ')
                    + "'", "calls"), "the old hour keeps the open call");
            assertEquals(0, new HistoryPurge(db, 10, new CallRollup(database.isH2())).olderThan(NOW.minusSeconds(30 * 86400)), "a second run finds nothing");
        }
    }

    /** Seven old events with two deliveries each, purged three rows at a time: none may be left behind. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anOldOutboxIsPurgedWholeInBatchesThatSplitAnEventsDeliveries(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            DataSource db = database.dataSource();
            for (int i = 0; i < 7; i++) {
                webhookEvent(db, "old-" + i, NOW.minusSeconds(80 * 86400), "delivered");
            }

            long deleted = new HistoryPurge(db, 3, new CallRollup(database.isH2())).olderThan(NOW.minusSeconds(30 * 86400));

            assertEquals(7 + 14, deleted);
            assertEquals(0, count(db, "parley_webhook_delivery"));
            assertEquals(0, count(db, "parley_webhook_event"));
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static void room(DataSource db, String id, Instant created, Instant closed) throws SQLException {
        update(db, "INSERT INTO parley_room (id, name, capacity, has_password, created_at, closed_at, instance_id) "
                + "VALUES (?, ?, 2, FALSE, ?, ?, 'test')", id, id, ts(created), ts(closed));
    }

    private static void call(DataSource db, String id, String room, Instant started, String status) throws SQLException {
        update(db, "INSERT INTO parley_call (id, room_id, room_name, caller_id, caller_name, callee_id, callee_name, "
                + "status, started_at, instance_id) VALUES (?, ?, ?, 'a', 'A', 'b', 'B', ?, ?, 'test')",
                id, room, room, status, ts(started));
    }

    private static void participant(DataSource db, String id, String room, Instant left) throws SQLException {
        update(db, "INSERT INTO parley_participant (id, room_id, room_name, display_name, joined_at, left_at, instance_id) "
                + "VALUES (?, ?, ?, 'P', ?, ?, 'test')", id, room, room, ts(NOW.minusSeconds(100 * 86400)), ts(left));
    }

    private static void webhookEvent(DataSource db, String id, Instant at, String status) throws SQLException {
        update(db, "INSERT INTO parley_webhook_event (id, room_name, seq, type, body, created_at) "
                + "VALUES (?, 'old-room', 1, 'room.closed', '{}', ?)", id, ts(at));
        for (String url : List.of("https://hooks.example/parley", "https://audit.example/in")) {
            update(db, "INSERT INTO parley_webhook_delivery (event_id, url, status, attempts, created_at, next_attempt_at) "
                    + "VALUES (?, ?, ?, 1, ?, ?)", id, url, status, ts(at), ts(at));
        }
    }

    private static void update(DataSource db, String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }

    private static long count(DataSource db, String from) throws SQLException {
        return count(db, from, "COUNT(*)");
    }

    private static long count(DataSource db, String from, String what) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + what + " FROM " + from)) {
            r.next();
            return r.getLong(1);
        }
    }
}
