package dev.parley.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real, empty database with Parley's migrations applied, for tests of SQL that must hold on both databases:
 * an in-memory H2, or a schema of its own in the local PostgreSQL. Closing it throws everything away.
 */
public final class MigratedDatabase implements AutoCloseable {

    private final String kind;
    private final String schema;
    private final DataSource dataSource;

    private MigratedDatabase(String kind) {
        this.kind = kind;
        this.schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.dataSource = kind.equals("h2") ? h2(schema) : postgres(schema);
        var flyway = Flyway.configure().dataSource(dataSource);
        if (isH2()) {
            flyway.locations("classpath:db/migration");
        } else {
            flyway.locations("classpath:db/migration", "classpath:db/vendor/postgresql").schemas(schema);
        }
        flyway.load().migrate();
    }

    /** {@code kind} is {@code h2} or {@code postgres}. */
    public static MigratedDatabase of(String kind) {
        return new MigratedDatabase(kind);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isH2() {
        return kind.equals("h2");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(isH2() ? "SHUTDOWN" : "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static DataSource h2(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    private static DataSource postgres(String schema) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(System.getProperty("parley.it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test"));
        pg.setUser("postgres");
        pg.setCurrentSchema(schema);
        return pg;
    }
}
