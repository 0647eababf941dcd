package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.history.HistoryEvent.ParticipantJoined;
import dev.parley.testing.MapConfig;
import dev.parley.testing.World;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket's life as {@code SignalingEndpoint} hands it over: errors answered on the open connection,
 * the limits of PROTOCOL.md §1 and their close codes, the join timeout, and a drop when the socket closes.
 */
class ConnectionsTest {

    private World world;
    private Connections connections;

    private void start(String... settings) {
        String[] all = new String[settings.length + 2];
        all[0] = "parley.admin.token";
        all[1] = "t";
        System.arraycopy(settings, 0, all, 2, settings.length);
        world = new World();
        ParleyConfig config = new ParleyConfig(MapConfig.of(all));
        connections = ConnectionsOfWorld.of(world, config);
    }

    private FakeSession open() {
        FakeSession session = new FakeSession();
        session.socket = connections.opened(session);
        return session;
    }

    private FakeSession joined(String room) {
        FakeSession session = open();
        session.socket.text("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        session.only("joined");
        return session;
    }

    @Test
    void refusedFrameIsAnsweredWithErrorAndRefAndTheSocketStaysOpen() {
        start();
        FakeSession s = joined("demo");

        s.socket.text("{\"type\":\"offer\",\"sdp\":42}");

        JsonObject error = s.last();
        assertEquals("error", error.getString("type"));
        assertEquals("bad-message", error.getString("code"));
        assertFalse(error.getString("message").isEmpty());
        assertEquals("offer", error.getString("ref"));
        assertTrue(s.isOpen());
        assertTrue(s.closeCodes.isEmpty());
        s.socket.text("{\"type\":\"ping\"}");
        assertEquals("pong", s.last().getString("type"));
    }

    @Test
    void unreadableFrameGetsErrorWithoutRef() {
        start();
        FakeSession s = open();

        s.socket.text("this is not json");

        JsonObject error = s.only("error");
        assertEquals("bad-message", error.getString("code"));
        assertFalse(error.containsKey("ref"));
    }

    @Test
    void routingRefusalCarriesTheRefOfTheMessage() {
        start();
        FakeSession s = open();

        s.socket.text("{\"type\":\"hangup\"}");

        JsonObject error = s.only("error");
        assertEquals("not-joined", error.getString("code"));
        assertEquals("hangup", error.getString("ref"));
    }

    @Test
    void socketThatDoesNotJoinInTimeIsClosed1008() {
        start("parley.ws.join-timeout", "PT3S");
        FakeSession idle = open();
        FakeSession joined = joined("demo");

        world.timers.advance(Duration.ofSeconds(3));

        assertEquals(List.of(1008), idle.closeCodes);
        assertTrue(joined.closeCodes.isEmpty());
    }

    @Test
    void failedJoinDoesNotStopTheJoinTimeout() {
        start("parley.ws.join-timeout", "PT3S");
        FakeSession s = open();
        s.socket.text("{\"type\":\"join\",\"room\":\"bad name\"}");
        assertEquals("invalid-room", s.only("error").getString("code"));

        world.timers.advance(Duration.ofSeconds(3));

        assertEquals(List.of(1008), s.closeCodes);
    }

    @Test
    void frameOverTheLimitIsClosed1009() {
        start("parley.ws.max-message-bytes", "4096");
        FakeSession s = joined("demo");

        s.socket.text("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4100) + "\"}");

        assertEquals(List.of(1009), s.closeCodes);
        assertTrue(s.ofType("pong").isEmpty());
    }

    @Test
    void frameOverTheLimitInUtf8BytesIsClosed1009() {
        start("parley.ws.max-message-bytes", "4096");
        FakeSession s = joined("demo");

        s.socket.text("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(2100) + "\"}"); // 2100 chars, 4200 bytes

        assertEquals(List.of(1009), s.closeCodes);
    }

    @Test
    void binaryFrameIsClosed1003() {
        start();
        FakeSession s = joined("demo");

        s.socket.binary();

        assertEquals(List.of(1003), s.closeCodes);
    }

    @Test
    void messagesBeyondTheBurstAreRateLimited() {
        start("parley.ws.rate", "1", "parley.ws.burst", "3");
        FakeSession s = open();

        for (int i = 0; i < 4; i++) {
            s.socket.text("{\"type\":\"ping\"}");
        }

        assertEquals(3, s.ofType("pong").size());
        JsonObject error = s.only("error");
        assertEquals("rate-limited", error.getString("code"));
        assertEquals("ping", error.getString("ref"));
        assertTrue(s.isOpen());
    }

    @Test
    void closedSocketDropsItsParticipantForTheGrace() {
        start();
        FakeSession alice = joined("demo");
        FakeSession bob = joined("demo");

        connections.closed(alice);
        world.timers.advance(World.GRACE.minusSeconds(1));
        assertTrue(bob.ofType("peer-left").isEmpty(), "the seat is kept during the grace");
        world.timers.advance(Duration.ofSeconds(1));

        assertEquals("disconnected", bob.only("peer-left").getString("reason"));
    }

    @Test
    void closingASocketTakenOverByResumeIsNotADrop() {
        start();
        FakeSession first = joined("demo");
        FakeSession bob = joined("demo");
        String token = first.only("joined").getString("resumeToken");
        FakeSession second = open();
        second.socket.text("{\"type\":\"join\",\"resume\":\"" + token + "\"}");
        assertEquals(List.of(4000), first.closeCodes);

        connections.closed(first);
        world.timers.advance(Duration.ofMinutes(1));

        assertTrue(bob.ofType("peer-left").isEmpty());
    }

    @Test
    void closingAfterLeaveIsNotASecondDeparture() {
        start();
        FakeSession alice = joined("demo");
        FakeSession bob = joined("demo");
        alice.socket.text("{\"type\":\"leave\"}");

        connections.closed(alice);
        world.timers.advance(Duration.ofMinutes(1));

        assertEquals(1, bob.ofType("peer-left").size());
        assertEquals("left", bob.only("peer-left").getString("reason"));
    }

    @Test
    void historyKeepsTheUserAgentAndOnlyAHashOfTheAddress() {
        start();
        FakeSession s = new FakeSession();
        s.getUserProperties().put(HandshakeConfigurator.USER_AGENT, "Mozilla/5.0 (X11)");
        s.getUserProperties().put(HandshakeConfigurator.CLIENT_ADDRESS, "198.51.100.7");
        s.socket = connections.opened(s);

        s.socket.text("{\"type\":\"join\",\"room\":\"demo\"}");

        ParticipantJoined joined = world.history.ofType(ParticipantJoined.class).get(0);
        assertEquals("Mozilla/5.0 (X11)", joined.userAgent());
        assertFalse(joined.clientAddress().contains("198.51.100.7"), joined.clientAddress());
        assertNotEquals("", joined.clientAddress());
    }

    private FakeSession openFrom(String address) {
        FakeSession s = new FakeSession();
        s.getUserProperties().put(HandshakeConfigurator.CLIENT_ADDRESS, address);
        s.socket = connections.opened(s);
        return s;
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        start("parley.ws.max-connections-per-address", "2");
        FakeSession first = openFrom("2001:db8::1");
        FakeSession second = openFrom("2001:db8::2");
        FakeSession otherNetwork = openFrom("2001:db8:0:1::1");
        FakeSession third = openFrom("2001:db8::3");

        assertEquals(List.of(1008), third.closeCodes, "a third address of the same /64 is the same client");
        assertTrue(first.closeCodes.isEmpty() && second.closeCodes.isEmpty() && otherNetwork.closeCodes.isEmpty());
        connections.closed(third);
        assertEquals(2, connections.openFrom("2001:db8::ffff"), "what the handshake filter asks");
        connections.closed(first);
        assertEquals(1, connections.openFrom("2001:db8::1"));
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreClosed1008AndClosingFreesASlot() {
        start("parley.ws.max-connections-per-address", "2");
        FakeSession first = openFrom("198.51.100.7");
        FakeSession second = openFrom("198.51.100.7");
        FakeSession elsewhere = openFrom("203.0.113.9");
        FakeSession third = openFrom("198.51.100.7");

        assertEquals(List.of(1008), third.closeCodes);
        assertTrue(first.closeCodes.isEmpty() && second.closeCodes.isEmpty() && elsewhere.closeCodes.isEmpty());
        connections.closed(third);
        assertEquals(2, connections.openFrom("198.51.100.7"));
        connections.closed(first);
        connections.closed(first); // the container and the heartbeat may both report one close
        assertEquals(1, connections.openFrom("198.51.100.7"));
        assertTrue(openFrom("198.51.100.7").closeCodes.isEmpty());
        connections.closed(second);
        connections.closed(elsewhere);
        assertEquals(0, connections.openFrom("203.0.113.9"));
    }

    @Test
    void aSocketSilentForTwoPingIntervalsIsClosedAndItsParticipantDropped() throws InterruptedException {
        start("parley.ws.ping-interval", "PT0.1S");
        FakeSession silent = joined("demo");
        FakeSession peer = joined("demo");
        assertEquals(java.time.Duration.ofMillis(100), connections.heartbeatTick());

        Thread.sleep(150);
        connections.heartbeat(); // pings both, as the scheduled heartbeat does every interval
        peer.socket.text("{\"type\":\"ping\"}"); // the peer shows signs of life; the other does not
        Thread.sleep(120);
        connections.heartbeat();

        assertEquals(List.of(1001), silent.closeCodes);
        assertTrue(peer.closeCodes.isEmpty());
        assertEquals(1, connections.openCount());
        world.timers.advance(World.GRACE);
        assertEquals("disconnected", peer.only("peer-left").getString("reason"));
    }

    @Test
    void aFailureWhileClosingOneSilentSocketStopsNeitherTheTurnNorLaterHeartbeats() throws InterruptedException {
        world = new World(2, java.time.Duration.ZERO, MapConfig.of("parley.admin.token", "t")); // no resume grace
        connections = ConnectionsOfWorld.of(world, new ParleyConfig(MapConfig.of("parley.admin.token", "t",
                "parley.ws.ping-interval", "PT0.1S")));
        List<FakeSession> silent = List.of(joined("one"), joined("two"), joined("three"));
        FakeSession lively = joined("four");

        Thread.sleep(150);
        connections.heartbeat(); // pings all four
        Thread.sleep(120);
        world.history.failNext = new IllegalStateException("the record path failed as a participant left");
        lively.socket.pong();
        connections.heartbeat(); // three are silent: each is closed, and the first one's close fails half-way

        for (FakeSession session : silent) {
            assertEquals(List.of(1001), session.closeCodes);
        }
        Thread.sleep(150);
        connections.heartbeat();
        assertTrue(lively.pings >= 2, "the heartbeat goes on: " + lively.pings);
    }

    @Test
    void aKickedSocketWhoseLastSendNeverCompletesIsServedNoMoreAndClosedByTheHeartbeat() throws InterruptedException {
        start("parley.ws.ping-interval", "PT0.1S");
        FakeSession kicked = joined("demo");
        FakeSession peer = joined("demo");
        String kickedId = kicked.only("joined").getJsonObject("self").getString("id");
        kicked.holdSends = true;
        peer.socket.text("{\"type\":\"candidate\",\"candidate\":null}"); // in flight to it, for good

        assertTrue(world.presence.kick("demo", kickedId));
        kicked.socket.text("{\"type\":\"join\",\"room\":\"demo\"}"); // it tries to come straight back

        assertEquals(1, world.presence.room("demo").orElseThrow().members().size(), "not seated again");
        assertEquals(List.of(), peer.ofType("peer-joined"), "the peer hears no one join again");
        assertTrue(kicked.closeCodes.isEmpty(), "the close waits for the send in flight");
        Thread.sleep(150);
        connections.heartbeat();
        assertEquals(List.of(4001), kicked.closeCodes, "closed with the code it was kicked with");
        assertTrue(peer.closeCodes.isEmpty());
    }

    @Test
    void aHeartbeatThatRanLateClosesNoSocketItHadNotPinged() throws InterruptedException {
        start("parley.ws.ping-interval", "PT0.1S");
        FakeSession quiet = joined("demo"); // its join was its last sign of life
        FakeSession peer = joined("demo");

        Thread.sleep(300); // the heartbeat did not run for three intervals (a busy scheduler)
        connections.heartbeat();

        assertTrue(quiet.closeCodes.isEmpty(), "silent, but never asked: pinged now rather than closed");
        assertEquals(1, quiet.pings);
        peer.socket.pong();
        Thread.sleep(150); // the ping above stays unanswered by one socket for over an interval
        connections.heartbeat();

        assertEquals(List.of(1001), quiet.closeCodes);
        assertTrue(peer.closeCodes.isEmpty());
    }

    @Test
    void aSocketHeardFromWithinTheIntervalIsPingedOnlyEverySixIntervals() throws InterruptedException {
        start("parley.ws.ping-interval", "PT0.5S");
        FakeSession chatty = joined("demo");
        FakeSession quiet = joined("demo");

        int answered = 0;
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(3400);
        while (System.nanoTime() < end) {
            chatty.socket.text("{\"type\":\"ping\"}");
            connections.heartbeat();
            if (quiet.pings > answered) {
                answered = quiet.pings;
                quiet.socket.pong(); // answers every ping, and says nothing else
            }
            Thread.sleep(50);
        }

        assertEquals(1, chatty.pings, "alive by its own frames: one keep-alive ping after six intervals");
        assertTrue(quiet.pings >= 5, "a socket that only answers is pinged every interval: " + quiet.pings);
        assertTrue(chatty.closeCodes.isEmpty() && quiet.closeCodes.isEmpty());
    }

    @Test
    void aPingThatBlocksHoldsNeitherTheHeartbeatNorThePingsOfOtherSockets() throws InterruptedException {
        start("parley.ws.ping-interval", "PT0.1S");
        connections.executor = TestExecutor.newThreads();
        FakeSession stuck = joined("stuck");
        List<FakeSession> others = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            others.add(joined("room-" + i)); // pinged in the same batches as the stuck one, before or after it
        }
        stuck.pingGate = new java.util.concurrent.CountDownLatch(1); // its socket buffer is full: a ping never returns
        try {
            Thread.sleep(150);
            int[] answered = new int[others.size()];
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(600);
            while (System.nanoTime() < end) {
                assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), connections::heartbeat);
                for (int i = 0; i < others.size(); i++) {
                    if (others.get(i).pings > answered[i]) {
                        answered[i] = others.get(i).pings;
                        others.get(i).socket.pong();
                    }
                }
                Thread.sleep(20);
            }

            for (FakeSession other : others) {
                assertTrue(other.pings >= 3, "every other socket is pinged every interval: " + other.pings);
                assertTrue(other.closeCodes.isEmpty(), "and, answering, stays open");
            }
            assertEquals(List.of(1001), stuck.closeCodes, "the stuck one is closed for its silence");
        } finally {
            stuck.pingGate.countDown();
        }
    }

    @Test
    void aJoinFinishingAfterItsSocketClosedStillFreesTheSeatAfterTheGrace() {
        start();
        FakeSession peer = joined("demo");
        FakeSession s = open();
        connections.closed(s); // the close ran before the join below took its member (a race between threads)

        s.socket.text("{\"type\":\"join\",\"room\":\"demo\"}");
        world.timers.advance(World.GRACE);

        assertEquals("disconnected", peer.only("peer-left").getString("reason"));
        assertEquals(1, world.presence.rooms().get(0).members().size());
        assertEquals(1, world.presence.resumeTokenCount());
    }
}
