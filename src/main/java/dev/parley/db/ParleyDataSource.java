package dev.parley.db;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The physical data source behind {@code java:app/jdbc/parley}, built and pooled by the container.
 *
 * <p>No placeholder syntax works in a data source definition on both Payara and WildFly, so this class
 * reads {@code <prefix>.url/.user/.password} from MicroProfile Config itself, when the first connection is
 * asked for, and picks the driver from the URL. The empty user and password the container passes are
 * ignored. Without a URL it opens the embedded H2 file database under {@code parley.data.dir}.
 */
public class ParleyDataSource implements DataSource {

    private String prefix = "parley.db";
    private volatile Target target;
    private int loginTimeout;

    private record Target(Driver driver, String url, Properties credentials) {
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getPrefix() {
        return prefix;
    }

    /** Credentials come from configuration, not from the container. */
    public void setUser(String ignored) {
    }

    public void setPassword(String ignored) {
    }

    @Override
    public Connection getConnection() throws SQLException {
        Target t = target();
        Connection connection = t.driver.connect(t.url, t.credentials);
        if (connection == null) {
            throw new SQLException("No driver accepts " + redacted(t.url));
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    private Target target() throws SQLException {
        Target t = target;
        if (t == null) {
            t = resolve();
            target = t;
        }
        return t;
    }

    private Target resolve() throws SQLException {
        Config config = ConfigProvider.getConfig(ParleyDataSource.class.getClassLoader());
        String url = config.getOptionalValue(prefix + ".url", String.class).map(String::trim)
                .filter(s -> !s.isEmpty()).orElseGet(() -> embeddedUrl(config));
        Properties credentials = new Properties();
        config.getOptionalValue(prefix + ".user", String.class).ifPresent(u -> credentials.setProperty("user", u));
        config.getOptionalValue(prefix + ".password", String.class).ifPresent(p -> credentials.setProperty("password", p));
        if (url.startsWith("jdbc:postgresql:") && !url.contains("options=")) {
            // JIT compilation pays off only for long analytic queries; on Parley's short ones it costs up to
            // 300 ms a report. Set options= in the URL to choose otherwise.
            credentials.setProperty("options", "-c jit=off");
        }
        Logger.getLogger(ParleyDataSource.class.getName()).info("Parley database: " + redacted(url));
        return new Target(driverFor(url), url, credentials);
    }

    /** The default: an H2 file that survives restarts; WRITE_DELAY=0 so a kill -9 loses no committed row. */
    static String embeddedUrl(Config config) {
        String dir = config.getOptionalValue("parley.data.dir", String.class).orElse("./data");
        Path file = Path.of(dir).toAbsolutePath().normalize().resolve("parley");
        return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    static Driver driverFor(String url) throws SQLException {
        if (url.startsWith("jdbc:h2:")) {
            return new org.h2.Driver();
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new org.postgresql.Driver();
        }
        throw new SQLException("Unsupported database URL (H2 or PostgreSQL): " + redacted(url));
    }

    /** URLs may carry passwords as parameters: log only scheme, host and path. */
    static String redacted(String url) {
        int cut = url.indexOf('?');
        int semi = url.indexOf(';');
        if (semi >= 0 && (cut < 0 || semi < cut)) {
            cut = semi;
        }
        return cut < 0 ? url : url.substring(0, cut);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper for " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
