package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.testing.FuzzFrames;
import dev.parley.testing.MapConfig;
import dev.parley.testing.World;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzz test's frames ({@code FaultsIT} sends them to a real server) run through the whole signal path in
 * process, where a failure points at the line: no exception may escape {@link Connections#text}, every answer
 * is JSON that the container can encode ({@link FakeSession} checks both), and once every socket has closed and
 * the grace has passed, nothing is left in {@code Presence}.
 */
class FuzzedFramesTest {

    private static final long SEED = Long.getLong("parley.fuzz.seed", 20261123L);

    @Test
    void fuzzedFramesNeverEscapeAsExceptionsNorLeaveGhosts() {
        World world = new World();
        ParleyConfig config = new ParleyConfig(MapConfig.of("parley.admin.token", "t",
                "parley.ws.rate", "1000000", "parley.ws.burst", "1000000", "parley.resume.failure-rate", "1000000"));
        Connections connections = ConnectionsOfWorld.of(world, config);
        List<FuzzFrames> generators = new ArrayList<>();
        List<FakeSession> sessions = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            generators.add(new FuzzFrames(SEED * 31 + c));
            sessions.add(open(connections));
        }

        for (int i = 0; i < 20_000; i++) {
            int c = i % 4;
            String frame = generators.get(c).next();
            try {
                sessions.get(c).socket.text(frame);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + SEED + ", connection " + c + ", frame " + i + ": " + frame, e);
            }
            if (!sessions.get(c).isOpen()) {
                assertTrue(sessions.get(c).closeCodes.stream().allMatch(code -> code == 1008 || code == 1009),
                        "closed with " + sessions.get(c).closeCodes + " after " + frame);
                connections.closed(sessions.get(c));
                sessions.set(c, open(connections));
            }
        }

        sessions.forEach(connections::closed);
        world.timers.advance(World.GRACE.plus(World.RING_TIMEOUT));
        assertEquals(0, connections.openCount());
        assertEquals(List.of(), world.presence.rooms());
        assertEquals(0, world.presence.resumeTokenCount());
    }

    private static FakeSession open(Connections connections) {
        FakeSession session = new FakeSession();
        session.socket = connections.opened(session);
        return session;
    }
}
