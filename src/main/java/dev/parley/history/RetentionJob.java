package dev.parley.history;

import dev.parley.config.ParleyConfig;
import dev.parley.db.Dialect;
import dev.parley.reports.CallRollup;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Purges history older than {@code parley.history.retention} shortly after start-up and then every hour. */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

    @Inject
    ParleyConfig config;
    @Inject
    Clock clock;
    @Inject
    Dialect dialect;
    @Resource
    ManagedScheduledExecutorService scheduler;
    private ScheduledFuture<?> schedule;

    public void start() {
        schedule = scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }

    public void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    void purge() {
        try {
            long deleted = new HistoryPurge(dialect.dataSource(), 1000, new CallRollup(dialect.isH2())).olderThan(clock.instant().minus(config.historyRetention));
            if (deleted > 0) {
                LOG.info("Retention: purged " + deleted + " history rows older than " + config.historyRetention);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Retention purge failed; it runs again within the hour", e);
        }
    }
}
