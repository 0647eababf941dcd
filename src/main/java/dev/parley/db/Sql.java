package dev.parley.db;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;

/**
 * A statement runner over either a plain JDBC connection or a JPA EntityManager's transaction, for SQL that
 * must run inside whichever transaction the caller already has (the history writer's is JPA, the purge's JDBC).
 * {@link LocalDateTime} parameters are bound as timestamps.
 */
public interface Sql {

    /** Runs an INSERT, UPDATE, DELETE or MERGE; returns the rows it changed. */
    int update(String sql, Object... params) throws SQLException;

    /** Runs a query for its effect alone (a {@code SELECT … FOR UPDATE} that takes row locks). */
    void lock(String sql, Object... params) throws SQLException;

    static Sql of(Connection connection) {
        return new Sql() {
            @Override
            public int update(String sql, Object... params) throws SQLException {
                try (PreparedStatement s = prepare(connection, sql, params)) {
                    return s.executeUpdate();
                }
            }

            @Override
            public void lock(String sql, Object... params) throws SQLException {
                try (PreparedStatement s = prepare(connection, sql, params)) {
                    s.executeQuery().close();
                }
            }
        };
    }

    static Sql of(EntityManager em) {
        return new Sql() {
            @Override
            public int update(String sql, Object... params) {
                return bind(em.createNativeQuery(sql), params).executeUpdate();
            }

            @Override
            public void lock(String sql, Object... params) {
                bind(em.createNativeQuery(sql), params).getResultList();
            }
        };
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, jdbc(params[i]));
        }
        return s;
    }

    private static jakarta.persistence.Query bind(jakarta.persistence.Query query, Object... params) {
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, jdbc(params[i]));
        }
        return query;
    }

    private static Object jdbc(Object param) {
        return param instanceof LocalDateTime t ? Timestamp.valueOf(t) : param;
    }
}
