package dev.parley.db;

import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema to the version in {@code db/} before anything touches the database.
 * The schema belongs to these migrations: JPA generates nothing.
 *
 * <p>It also declares Parley's own data source, so the WAR never depends on a server's default one;
 * {@link ParleyDataSource} resolves the real URL from configuration (WildFly insists on one property).
 */
@DataSourceDefinition(
        name = SchemaMigrator.DATA_SOURCE,
        className = "dev.parley.db.ParleyDataSource",
        minPoolSize = 1,
        maxPoolSize = 32,
        // Payara hands out pooled connections unchecked: after a database restart every one of them is dead and
        // stays so. Validating each checkout (Connection.isValid) and flushing the pool on the first failure lets
        // history writes and queries recover on their own. WildFly drops these keys (ParleyDataSource has no
        // setter for them) with a log line.
        properties = {"prefix=parley.db",
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.fail-all-connections=true"})
@ApplicationScoped
public class SchemaMigrator {

    public static final String DATA_SOURCE = "java:app/jdbc/parley";
    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    public void migrate() {
        MigrateResult result = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations())
                // Earlier versions could skip the PostgreSQL-only migrations (see locations()); those are
                // idempotent, so a database that missed one gets it now rather than failing validation.
                .outOfOrder(true)
                .load()
                .migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info("Database schema at version " + version + " (" + result.migrationsExecuted + " migrations applied now)");
    }

    /**
     * The common migrations, and on PostgreSQL its own ones too. Named here rather than with Flyway's
     * {@code {vendor}} placeholder, which inside Payara now and then resolved to nothing: the PostgreSQL
     * migrations were skipped without a word, or a schema that had them failed validation.
     */
    private String[] locations() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
                    ? new String[] {"classpath:db/migration", "classpath:db/vendor/postgresql"}
                    : new String[] {"classpath:db/migration"};
        } catch (SQLException e) {
            throw new IllegalStateException("database unreachable: " + e.getMessage(), e);
        }
    }
}
