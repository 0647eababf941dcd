package dev.parley.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Deletes history older than the retention period, a bounded batch per transaction, so a large purge never
 * holds long locks on tables live traffic writes to. Calls go first, then participants who left, then
 * closed rooms nothing refers to any more.
 */
public final class HistoryPurge {

    private static final String[] STEPS = {
        "DELETE FROM parley_call WHERE id IN "
            + "(SELECT id FROM parley_call WHERE started_at < ? AND status = 'ended' LIMIT ?)",
        "DELETE FROM parley_participant WHERE id IN "
            + "(SELECT id FROM parley_participant WHERE left_at < ? LIMIT ?)",
        "DELETE FROM parley_room WHERE id IN (SELECT r.id FROM parley_room r WHERE r.closed_at < ? "
            + "AND NOT EXISTS (SELECT 1 FROM parley_call c WHERE c.room_id = r.id) "
            + "AND NOT EXISTS (SELECT 1 FROM parley_participant p WHERE p.room_id = r.id) LIMIT ?)"
    };

    private final DataSource dataSource;
    private final int batchSize;

    public HistoryPurge(DataSource dataSource, int batchSize) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
    }

    /** Purges everything older than {@code cutoff}; returns the number of rows deleted. */
    public long olderThan(Instant cutoff) throws SQLException {
        Timestamp before = Timestamp.valueOf(LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
        long deleted = 0;
        for (String step : STEPS) {
            int batch;
            do {
                batch = deleteBatch(step, before);
                deleted += batch;
            } while (batch == batchSize);
        }
        return deleted;
    }

    private int deleteBatch(String sql, Timestamp before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, before);
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
        }
    }
}
