package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.testing.GridNetwork;
import dev.parley.testing.MapConfig;
import dev.parley.testing.World;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two instances sharing a grid (in memory, delivered when the test settles it): a socket on one instance takes
 * part in a room the other holds, its frames relayed both ways, and the loss of either instance is handled.
 * ClusterIT does the same on Payara's real data grid.
 */
class ClusterRelayTest {

    private final GridNetwork network = new GridNetwork();
    private final Instance a = new Instance("a");
    private final Instance b = new Instance("b");

    private final class Instance {
        final World world;
        final Connections connections;
        final ClusterRelay relay = new ClusterRelay();

        Instance(String id) {
            world = new World(network.join(id));
            connections = ConnectionsOfWorld.of(world, new ParleyConfig(MapConfig.of("parley.admin.token", "t")));
            relay.presence = world.presence;
            relay.connections = connections;
            connections.cluster = relay;
            relay.start();
        }

        FakeSession join(String room, String name) {
            FakeSession session = new FakeSession();
            session.socket = connections.opened(session);
            session.socket.text("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}");
            network.settle();
            return session;
        }

        void send(FakeSession session, String frame) {
            session.socket.text(frame);
            network.settle();
        }
    }

    private static String id(FakeSession joined) {
        return joined.only("joined").getJsonObject("self").getString("id");
    }

    @Test
    void aSocketOnAnotherInstanceIsSeatedWhereTheRoomIsAndFramesCrossBothWays() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        JsonObject joined = bob.only("joined");
        assertEquals(id(alice), joined.getJsonArray("peers").getJsonObject(0).getString("id"));
        assertEquals(id(bob), alice.only("peer-joined").getJsonObject("peer").getString("id"));
        assertEquals(2, a.world.presence.room("demo").orElseThrow().members().size(), "both seats are on a");
        assertTrue(b.world.presence.room("demo").isEmpty(), "b holds no copy of the room");

        a.send(alice, "{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        JsonObject offer = bob.only("offer");
        assertEquals(id(alice), offer.getString("from"));
        b.send(bob, "{\"type\":\"answer\",\"sdp\":\"v=0\"}");
        assertEquals(offer.getString("callId"), alice.only("answer").getString("callId"));
        assertEquals(1, a.world.presence.room("demo").orElseThrow().calls.size(), "one call, kept where the room is");

        bob.socket.text("{\"type\":\"ping\"}");
        assertEquals("pong", bob.last().getString("type"), "heartbeats are answered by the socket's own instance");
    }

    @Test
    void theRoomsInstanceEnforcesCapacityForEveryInstance() {
        a.join("demo", "Alice");
        b.join("demo", "Bob");
        FakeSession carol = b.join("demo", "Carol");

        assertEquals("room-full", carol.only("error").getString("code"));
        assertTrue(carol.isOpen());
    }

    @Test
    void aJoinRefusedWhileHistoryIsBehindClaimsNoRoomInTheGrid() {
        a.world.history.behind = true;

        assertEquals("unavailable", a.join("demo", "Alice").only("error").getString("code"));
        FakeSession randomRoom = new FakeSession();
        randomRoom.socket = a.connections.opened(randomRoom);
        a.send(randomRoom, "{\"type\":\"join\"}");
        assertEquals("unavailable", randomRoom.only("error").getString("code"));

        assertEquals(List.of(), network.claimedRooms(), "a claim left behind would tie the name to a for good");
        a.world.history.behind = false;
        FakeSession bob = b.join("demo", "Bob");
        assertEquals("demo", bob.only("joined").getString("room"));
        assertTrue(b.world.presence.room("demo").isPresent(), "the name was free for b to open");
    }

    @Test
    void aRemoteSocketThatClosesIsDroppedAndReportedDisconnectedAfterTheGrace() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        bob.close();
        b.connections.closed(bob);
        network.settle();
        assertEquals(List.of(), alice.ofType("peer-left"), "not before the grace");
        a.world.timers.advance(World.GRACE);

        JsonObject left = alice.only("peer-left");
        assertEquals(id(bob), left.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", left.getString("reason"));
    }

    @Test
    void aJoinRoutedHereForARoomAnotherInstanceOpenedSinceOpensNoSecondRoom() {
        // Routing saw "demo" as a's; before the join got to a's rooms, it closed there and b opened it.
        FakeSession carol = b.join("demo", "Carol");
        Connection bob = new Connection(new SessionWire(new FakeSession()), Runnable::run, 1024, 1 << 20, new RateLimiter(50, 200, 0), 0,
                "Mozilla/5.0 (test)", "client-address-hash");

        Elsewhere elsewhere = assertThrows(Elsewhere.class, () -> a.world.presence.join(bob, "demo", "Bob", null));

        assertEquals("b", elsewhere.owner, "the join is passed on to where the room is");
        assertTrue(a.world.presence.room("demo").isEmpty(), "one name, one room");
        assertEquals("demo", carol.only("joined").getString("room"));
    }

    @Test
    void aRemoteClientKickedByTheRoomsInstanceIsForgottenOnBothSides() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        assertTrue(a.world.presence.kick("demo", id(bob)));
        network.settle();

        assertEquals(List.of(4001), bob.closeCodes);
        assertEquals("kicked", alice.only("peer-left").getString("reason"));
        assertEquals(0, a.relay.remoteCount(), "the owner keeps no entry for the closed client");
        assertEquals(0, b.relay.remoteCount());
    }

    @Test
    void aFrameInFlightWhenTheRoomsInstanceClosedARemoteClientLeavesNoEntryBehind() {
        a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        assertTrue(a.world.presence.kick("demo", id(bob)));
        bob.socket.text("{\"type\":\"candidate\",\"candidate\":null}"); // sent before the close reached b
        network.settle();

        assertEquals(List.of(4001), bob.closeCodes);
        assertEquals(0, a.relay.remoteCount(), "the late frame does not bring the closed client back");
    }

    @Test
    void aJoinInFlightWhenTheRoomsInstanceClosedARemoteClientLeavesNoSeatBehind() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        assertTrue(a.world.presence.kick("demo", id(bob)));
        bob.socket.text("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Bob\"}"); // before the close reached b
        network.settle();
        a.world.timers.advance(World.GRACE);

        assertEquals(List.of(4001), bob.closeCodes);
        assertEquals(1, a.world.presence.room("demo").orElseThrow().members().size(), "no seat without a socket");
        assertEquals(0, a.relay.remoteCount());
    }

    @Test
    void aRemoteClientClosedForAServerErrorLosesItsSeatAfterTheGraceAsALocalOneDoes() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");
        a.world.history.failNext = new IllegalStateException("a bug while handling Bob's offer");

        b.send(bob, "{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals(List.of(1011), bob.closeCodes);
        a.world.timers.advance(World.GRACE);

        JsonObject left = alice.only("peer-left");
        assertEquals(id(bob), left.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", left.getString("reason"));
        assertEquals(1, a.world.presence.room("demo").orElseThrow().members().size(), "no ghost holds Bob's seat");
        assertEquals(0, a.relay.remoteCount());
    }

    @Test
    void losingTheInstanceThatHoldsTheRoomReportsItsPeersGoneAndClosesItsSocketsElsewhere1012() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");
        FakeSession carol = new FakeSession();
        carol.socket = b.connections.opened(carol);
        b.send(carol, "{\"type\":\"join\",\"room\":\"other\"}");
        a.world.presence.room("demo").orElseThrow(); // still held by a

        network.kill("a");

        JsonObject left = bob.only("peer-left");
        assertEquals(id(alice), left.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", left.getString("reason"));
        assertEquals(List.of(1012), bob.closeCodes);
        assertTrue(carol.closeCodes.isEmpty(), "a room b holds itself is not affected");
        FakeSession again = b.join("demo", "Bob");
        assertTrue(again.only("joined").getJsonArray("peers").isEmpty(), "the room opens afresh on a live instance");
    }

    @Test
    void losingAnInstanceDropsItsParticipantsWhereTheirRoomsAre() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = b.join("demo", "Bob");

        network.kill("b");
        a.world.timers.advance(World.GRACE);

        assertEquals(id(bob), alice.only("peer-left").getJsonObject("peer").getString("id"));
        assertEquals("disconnected", alice.only("peer-left").getString("reason"));
        assertEquals(1, a.world.presence.room("demo").orElseThrow().members().size());
    }

    @Test
    void aParticipantResumesThroughTheOtherInstance() {
        FakeSession alice = a.join("demo", "Alice");
        FakeSession bob = a.join("demo", "Bob");
        String token = bob.only("joined").getString("resumeToken");
        a.connections.closed(bob);

        FakeSession back = new FakeSession();
        back.socket = b.connections.opened(back);
        b.send(back, "{\"type\":\"join\",\"resume\":\"" + token + "\"}");

        assertEquals(id(bob), back.only("joined").getJsonObject("self").getString("id"));
        a.world.timers.advance(World.GRACE);
        assertEquals(List.of(), alice.ofType("peer-left"), "the move is invisible to the peer");
    }

    @Test
    void aParticipantKickedWhileAwayIsToldSoThroughTheOtherInstance() {
        a.join("demo", "Alice");
        FakeSession bob = a.join("demo", "Bob");
        String token = bob.only("joined").getString("resumeToken");
        a.connections.closed(bob);
        assertTrue(a.world.presence.kick("demo", id(bob)));
        network.settle();

        FakeSession back = new FakeSession();
        back.socket = b.connections.opened(back);
        b.send(back, "{\"type\":\"join\",\"resume\":\"" + token + "\"}");

        JsonObject refused = back.only("error");
        assertEquals("unauthorized", refused.getString("code"));
        assertEquals("kicked", refused.getString("reason"), "the instance that held Bob recorded why he left");
    }
}
