package dev.parley.app;

import dev.parley.cluster.Grid;
import dev.parley.config.ParleyConfig;
import dev.parley.db.SchemaMigrator;
import dev.parley.db.TimeZoneCheck;
import dev.parley.history.HistoryStore;
import dev.parley.history.HistoryWriter;
import dev.parley.history.RetentionJob;
import dev.parley.metrics.Metrics;
import dev.parley.rooms.Presence;
import dev.parley.rooms.RoomCommands;
import dev.parley.signaling.ClusterRelay;
import dev.parley.signaling.Connections;
import dev.parley.time.ScheduledTimers;
import dev.parley.webhooks.WebhookSender;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start-up and shutdown, in order. Start: validate settings, migrate the schema, close what a previous run
 * left open ({@code server-restart}), start the history writer and heartbeats, then report ready.
 * Shutdown: call off the pending timers, close every room ({@code server-shutdown}, close 1001) and write the history
 * that is left.
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
    ScheduledTimers timers;
    @Inject
    Clock clock;
    @Inject
    Grid grid;
    @Inject
    Metrics metrics;
    @Inject
    ClusterRelay cluster;
    @Inject
    RoomCommands roomCommands;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile boolean ready;
    private ScheduledFuture<?> heartbeat;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        TimeZoneCheck.warningFor(ZoneId.systemDefault()).ifPresent(LOG::warning);
        migrator.migrate();
        int closed = store.closeUnfinished(grid.instanceId(), clock.instant(), "server-restart");
        metrics.callsEnded("server-restart", closed);
        if (closed > 0) {
            LOG.info("Closed " + closed + " calls left open by the previous run (server-restart)");
        }
        cluster.start();
        roomCommands.start();
        grid.onInstanceLost(this::closeHistoryOf);
        writer.start();
        retention.start();
        webhooks.start();
        long tick = connections.heartbeatTick().toMillis();
        heartbeat = scheduler.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
        ready = true;
        LOG.info("Parley is ready");
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        LOG.info("Parley is stopping");
        ready = false;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        // First, as closing the rooms and writing the history can take seconds with thousands connected, and on WildFly
        // a timer that fires meanwhile (a resume grace, a ring timeout) fails in the suspended container, an error each.
        timers.cancelPending();
        retention.stop();
        presence.closeAll("server-shutdown");
        writer.stop(Duration.ofSeconds(5));
        webhooks.stop();
        grid.stop();
    }

    /** A scheduled task that throws is never run again: no failure may end the heartbeat. */
    private void heartbeat() {
        try {
            connections.heartbeat();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "The heartbeat failed; it runs again next tick", e);
        }
    }

    /** One survivor ends what a lost instance left open: its participants and calls, {@code disconnected}. */
    private void closeHistoryOf(String instance) {
        if (!grid.leader()) {
            return;
        }
        if (grid.instances().contains(instance)) {
            // Restarted under the same id before its loss was noticed: its start closed what it left (server-restart),
            // and what is open under its id now is its new life's.
            LOG.info("Instance " + instance + " was lost and is back: its history is its own to close");
            return;
        }
        try {
            int closed = store.closeUnfinished(instance, clock.instant(), "disconnected");
            metrics.callsEnded("disconnected", closed);
            LOG.info("Instance " + instance + " was lost: closed " + closed + " of its calls (disconnected)");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not close the history of lost instance " + instance
                    + "; it is closed when that instance starts again", e);
        }
    }

    public boolean ready() {
        return ready;
    }
}
