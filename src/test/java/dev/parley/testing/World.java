package dev.parley.testing;

import dev.parley.calls.CallLedger;
import dev.parley.cluster.Grid;
import dev.parley.cluster.LocalGrid;
import dev.parley.config.ParleyConfig;
import dev.parley.ice.IceServers;
import dev.parley.rooms.Presence;
import java.time.Duration;
import java.time.Instant;

/**
 * The signal path's plain classes wired as in production ({@code CoreBeans}), but on a hand-moved clock,
 * manual timers and a recording history sink.
 */
public final class World {

    public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    public static final Duration RING_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration GRACE = Duration.ofSeconds(15);
    public static final Duration IDLE_TTL = Duration.ofHours(24);

    public final MutableClock clock = new MutableClock(START);
    public final ManualTimers timers = new ManualTimers(clock);
    public final RecordingHistory history = new RecordingHistory();
    public final CallLedger calls;
    public final Presence presence;

    public World() {
        this(2, GRACE, MapConfig.of("parley.admin.token", "test-admin"));
    }

    public World(int defaultCapacity, Duration grace, MapConfig config) {
        this(defaultCapacity, grace, config, new LocalGrid("test-instance"));
    }

    /** One instance of a cluster whose grid is {@code grid} (see {@link GridNetwork}). */
    public World(Grid grid) {
        this(2, GRACE, MapConfig.of("parley.admin.token", "test-admin"), grid);
    }

    private World(int defaultCapacity, Duration grace, MapConfig config, Grid grid) {
        calls = new CallLedger(clock, timers, history, RING_TIMEOUT);
        ParleyConfig settings = new ParleyConfig(config);
        IceServers ice = new IceServers(settings, clock);
        presence = new Presence(new Presence.Settings(defaultCapacity, grace, IDLE_TTL, settings.resumeMaxDeparted),
                clock, timers, history,
                calls, ice, grid);
    }
}
