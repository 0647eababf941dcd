package dev.parley.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The few places where H2 and PostgreSQL SQL differ, decided once from the connected database. */
@ApplicationScoped
public class Dialect {

    @Resource(lookup = SchemaMigrator.DATA_SOURCE)
    DataSource dataSource;
    private volatile Boolean h2;

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isH2() {
        Boolean known = h2;
        if (known == null) {
            try (Connection c = dataSource.getConnection()) {
                known = c.getMetaData().getDatabaseProductName().toLowerCase().contains("h2");
            } catch (SQLException e) {
                throw new IllegalStateException("database unreachable", e);
            }
            h2 = known;
        }
        return known;
    }
}
