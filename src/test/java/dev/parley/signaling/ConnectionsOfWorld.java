package dev.parley.signaling;

import dev.parley.config.ParleyConfig;
import dev.parley.testing.World;

/** {@link Connections} wired by hand as CDI wires it, on a {@link World} and its manual timers, sends inline. */
final class ConnectionsOfWorld {

    private ConnectionsOfWorld() {
    }

    static Connections of(World world, ParleyConfig config) {
        Connections connections = new Connections();
        connections.config = config;
        connections.presence = world.presence;
        connections.signaling = new Signaling(world.presence, world.calls);
        connections.timers = world.timers;
        connections.executor = TestExecutor.inline();
        connections.addresses = new ClientAddresses();
        connections.addresses.config = config;
        connections.addresses.init();
        connections.init();
        return connections;
    }
}
