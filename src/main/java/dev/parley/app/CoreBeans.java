package dev.parley.app;

import dev.parley.calls.CallLedger;
import dev.parley.cluster.Grid;
import dev.parley.cluster.Grids;
import dev.parley.config.ParleyConfig;
import dev.parley.history.HistoryWriter;
import dev.parley.ice.IceServers;
import dev.parley.metrics.Metrics;
import dev.parley.rooms.Presence;
import dev.parley.security.AddressRateLimit;
import dev.parley.security.JoinTokens;
import dev.parley.signaling.Signaling;
import dev.parley.time.Timers;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the signal path's plain classes (kept free of CDI so unit tests build them directly) into
 * one instance each per deployment.
 */
@ApplicationScoped
public class CoreBeans {

    @Produces
    @Singleton
    CallLedger callLedger(ParleyConfig config, Clock clock, Timers timers, HistoryWriter history) {
        return new CallLedger(clock, timers, history, config.ringTimeout);
    }

    @Produces
    @Singleton
    Metrics metrics() {
        return new Metrics();
    }

    @Produces
    @Singleton
    IceServers iceServers(ParleyConfig config, Clock clock) {
        return new IceServers(config, clock);
    }

    @Resource
    ManagedExecutorService executor;

    /** Payara's data grid when it runs, else this instance alone (see {@link Grids}). */
    @Produces
    @Singleton
    Grid grid(ParleyConfig config) {
        return Grids.create(config.clusterEnabled, config.instanceId, executor, Presence.REPORT_WINDOW.toSeconds());
    }

    @Produces
    @Singleton
    Presence presence(ParleyConfig config, Clock clock, Timers timers, HistoryWriter history, CallLedger calls,
                      IceServers ice, Grid grid) {
        var settings = new Presence.Settings(config.roomCapacity, config.resumeGrace, config.roomIdleTtl,
                config.resumeMaxDeparted);
        return new Presence(settings, clock, timers, history, calls, ice, grid);
    }

    /** The join token check of PROTOCOL.md §4; {@link JoinTokens#NONE} without {@code parley.join.secret}. */
    @Produces
    @Singleton
    JoinTokens joinTokens(ParleyConfig config, Clock clock) {
        return config.joinSecret.map(secret -> new JoinTokens(secret, clock)).orElse(JoinTokens.NONE);
    }

    @Produces
    @Singleton
    Signaling signaling(ParleyConfig config, Clock clock, Presence presence, CallLedger calls, JoinTokens tokens) {
        return new Signaling(presence, calls, tokens, new AddressRateLimit(config.resumeFailureRate, clock));
    }
}
