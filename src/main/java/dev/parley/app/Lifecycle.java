package dev.parley.app;

import dev.parley.config.ParleyConfig;
import dev.parley.db.SchemaMigrator;
import dev.parley.history.HistoryStore;
import dev.parley.history.HistoryWriter;
import dev.parley.history.RetentionJob;
import dev.parley.webhooks.WebhookSender;
import dev.parley.rooms.Presence;
import dev.parley.signaling.Connections;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Start-up and shutdown, in order. Start: validate settings, migrate the schema, close what a previous run
 * left open ({@code server-restart}), start the history writer and heartbeats, then report ready.
 * Shutdown: close every room ({@code server-shutdown}, close 1001) and write the history that is left.
 * (A CDI observer, not an EJB singleton: WildFly's MicroProfile profile has no EJB.)
 */
@ApplicationScoped
public class Lifecycle {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class.getName());

    @Inject
    ParleyConfig config;
    @Inject
    SchemaMigrator migrator;
    @Inject
    HistoryStore store;
    @Inject
    HistoryWriter writer;
    @Inject
    Presence presence;
    @Inject
    Connections connections;
    @Inject
    RetentionJob retention;
    @Inject
    WebhookSender webhooks;
    @Inject
    Clock clock;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile boolean ready;
    private ScheduledFuture<?> heartbeat;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        migrator.migrate();
        int closed = store.closeUnfinished(config.instanceId, clock.instant());
        if (closed > 0) {
            LOG.info("Closed " + closed + " calls left open by the previous run (server-restart)");
        }
        writer.start();
        retention.start();
        webhooks.start();
        long tick = connections.heartbeatTick().toMillis();
        heartbeat = scheduler.scheduleAtFixedRate(connections::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
        ready = true;
        LOG.info("Parley is ready");
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        ready = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        retention.stop();
        presence.closeAll("server-shutdown");
        writer.stop(Duration.ofSeconds(5));
        webhooks.stop();
    }

    public boolean ready() {
        return ready;
    }
}
