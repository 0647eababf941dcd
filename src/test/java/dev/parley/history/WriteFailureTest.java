package dev.parley.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.testing.MigratedDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The history writer drops an event at once only if the database can never store it, and keeps one refused for a
 * passing reason: the errors here are the real drivers' (H2 in memory, the local PostgreSQL in a schema of its own),
 * wrapped as the JPA provider and the transaction manager wrap them.
 */
class WriteFailureTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aValueTheDatabaseCannotStoreIsPermanentWhereverItIsWrapped(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind); Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scratch (id INT PRIMARY KEY, v VARCHAR(2) NOT NULL)");

            assertEquals(WriteFailure.PERMANENT, WriteFailure.of(wrapped(() -> s.execute("INSERT INTO scratch VALUES (1, 'abc')"))),
                    "too long");
            assertEquals(WriteFailure.PERMANENT, WriteFailure.of(wrapped(() -> s.execute("INSERT INTO scratch VALUES (1, NULL)"))),
                    "a required value missing");
            s.execute("INSERT INTO scratch VALUES (1, 'ab')");
            assertEquals(WriteFailure.UNKNOWN, WriteFailure.of(wrapped(() -> s.execute("INSERT INTO scratch VALUES (1, 'ab')"))),
                    "a duplicate key may be a race between instances: retried a few times");
            assertEquals(WriteFailure.PERMANENT, WriteFailure.of(wrapped(() -> s.execute("INSERT INTO no_such_table VALUES (1)"))),
                    "a table missing after the migrations ran will not come by itself");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aLockNotGrantedInTimeIsPassing(String kind) throws Exception {
        try (MigratedDatabase database = MigratedDatabase.of(kind); Connection holder = database.dataSource().getConnection();
             Connection waiter = database.dataSource().getConnection(); Statement hold = holder.createStatement();
             Statement wait = waiter.createStatement()) {
            hold.execute("CREATE TABLE scratch (id INT PRIMARY KEY, v INT)");
            hold.execute("INSERT INTO scratch VALUES (1, 0)");
            holder.setAutoCommit(false);
            hold.execute("UPDATE scratch SET v = 1 WHERE id = 1");
            wait.execute(database.isH2() ? "SET LOCK_TIMEOUT 100" : "SET lock_timeout = '100ms'");

            assertEquals(WriteFailure.PASSING, WriteFailure.of(wrapped(() -> wait.execute("UPDATE scratch SET v = 2 WHERE id = 1"))));
            holder.rollback();
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsPassing() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/test"); // nothing listens on port 1
        nowhere.setConnectTimeout(2);

        assertEquals(WriteFailure.PASSING, WriteFailure.of(wrapped(() -> nowhere.getConnection().close())));
    }

    @Test
    void aFailureWithoutAnSqlStateIsUnknown() {
        assertEquals(WriteFailure.UNKNOWN, WriteFailure.of(new IllegalStateException("no connection could be allocated")));
    }

    private interface Sql {
        void run() throws SQLException;
    }

    /** The driver's exception as the history writer sees it: under the JPA provider's and the transaction's. */
    private static RuntimeException wrapped(Sql sql) {
        SQLException e = assertThrows(SQLException.class, sql::run);
        return new IllegalStateException("transaction rolled back", new RuntimeException("database exception", e));
    }
}
