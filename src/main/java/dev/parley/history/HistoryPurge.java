package dev.parley.history;

import dev.parley.db.Sql;
import dev.parley.reports.CallRollup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Deletes history older than the retention period, a bounded batch per transaction, so a large purge never
 * holds long locks on tables live traffic writes to. Calls go first (each batch recounting the report's hours
 * it touched, in the same transaction), then participants who left, then closed rooms nothing refers to any more,
 * then the webhook outbox's deliveries and events (their bodies name people and browsers), delivered or not: the
 * retention period is the longest anything about a call is kept. The rooms' webhook sequence numbers stay, so
 * that a room's events keep rising.
 */
public final class HistoryPurge {

    private static final String OLD_CALLS =
        "SELECT id, started_at FROM parley_call WHERE started_at < ? AND status = 'ended' LIMIT ?";

    /** One bounded DELETE: its parameters are the cutoff, {@code cutoffs} times, then the batch size. */
    private record Step(String sql, int cutoffs) {
    }

    private static final List<Step> STEPS = List.of(
        new Step("DELETE FROM parley_participant WHERE id IN "
            + "(SELECT id FROM parley_participant WHERE left_at < ? LIMIT ?)", 1),
        new Step("DELETE FROM parley_room WHERE id IN (SELECT r.id FROM parley_room r WHERE r.closed_at < ? "
            + "AND NOT EXISTS (SELECT 1 FROM parley_call c WHERE c.room_id = r.id) "
            + "AND NOT EXISTS (SELECT 1 FROM parley_participant p WHERE p.room_id = r.id) LIMIT ?)", 1),
        // All the old deliveries of the events chosen, so a batch may delete more than its size (see olderThan).
        new Step("DELETE FROM parley_webhook_delivery WHERE created_at < ? AND event_id IN "
            + "(SELECT event_id FROM parley_webhook_delivery WHERE created_at < ? LIMIT ?)", 2),
        new Step("DELETE FROM parley_webhook_event WHERE id IN (SELECT e.id FROM parley_webhook_event e "
            + "WHERE e.created_at < ? AND NOT EXISTS (SELECT 1 FROM parley_webhook_delivery d WHERE d.event_id = e.id) "
            + "LIMIT ?)", 1));

    private final DataSource dataSource;
    private final int batchSize;
    private final CallRollup rollup;

    public HistoryPurge(DataSource dataSource, int batchSize, CallRollup rollup) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.rollup = rollup;
    }

    /** Purges everything older than {@code cutoff}; returns the number of rows deleted. */
    public long olderThan(Instant cutoff) throws SQLException {
        Timestamp before = Timestamp.valueOf(LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
        long deleted = 0;
        int calls;
        do {
            calls = deleteCalls(before);
            deleted += calls;
        } while (calls == batchSize);
        for (Step step : STEPS) {
            int batch;
            do {
                batch = deleteBatch(step, before);
                deleted += batch;
            } while (batch >= batchSize);
        }
        return deleted;
    }

    private int deleteCalls(Timestamp before) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<String> ids = new ArrayList<>();
                Set<LocalDateTime> hours = new HashSet<>();
                try (PreparedStatement select = connection.prepareStatement(OLD_CALLS)) {
                    select.setTimestamp(1, before);
                    select.setInt(2, batchSize);
                    try (ResultSet r = select.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getString(1));
                            hours.add(r.getTimestamp(2).toLocalDateTime());
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM parley_call WHERE id IN ("
                            + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
                        for (int i = 0; i < ids.size(); i++) {
                            delete.setString(i + 1, ids.get(i));
                        }
                        delete.executeUpdate();
                    }
                    rollup.refresh(Sql.of(connection), hours);
                }
                connection.commit();
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private int deleteBatch(Step step, Timestamp before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(step.sql())) {
            for (int i = 1; i <= step.cutoffs(); i++) {
                delete.setTimestamp(i, before);
            }
            delete.setInt(step.cutoffs() + 1, batchSize);
            return delete.executeUpdate();
        }
    }
}
