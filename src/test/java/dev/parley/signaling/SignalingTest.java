package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.calls.LiveCall;
import dev.parley.history.HistoryEvent.CallEnded;
import dev.parley.rooms.Member;
import dev.parley.security.AddressRateLimit;
import dev.parley.security.JoinTokens;
import dev.parley.testing.World;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md §1 routing rules, driven through {@link Signaling#handle} with real {@link Connection}s on
 * recording sessions, and the real {@code Presence} and {@code CallLedger}.
 */
class SignalingTest {

    private final MessageCodec codec = new MessageCodec();
    private World world;
    private Signaling signaling;

    /** One client socket. */
    private final class Client {
        final FakeSession session = new FakeSession();
        final Connection connection = new Connection(new SessionWire(session), Runnable::run, 1024, 1 << 20, new RateLimiter(50, 200, 0), 0,
                "Mozilla/5.0 (test)", "client-address-hash");
        private String token;

        void send(String frame) {
            signaling.handle(connection, codec.decode(frame));
        }

        String sendExpectingError(String frame) {
            return assertThrows(SignalException.class, () -> send(frame), frame).code();
        }

        Client join(String room, String name) {
            send("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"" + name + "\"}");
            token = session.last().getString("resumeToken");
            return this;
        }

        String id() {
            return connection.member().id;
        }

        Member member() {
            return connection.member();
        }

        /** The resume token from this client's last join. */
        String token() {
            return token;
        }

        void clear() {
            session.frames.clear();
        }
    }

    @BeforeEach
    void setUp() {
        world = new World();
        signaling = new Signaling(world.presence, world.calls);
    }

    private Client alice;
    private Client bob;

    private void aliceAndBobInDemo() {
        alice = new Client().join("demo", "Alice");
        bob = new Client().join("demo", "Bob");
        alice.clear();
        bob.clear();
    }

    // --- join, ping, leave -------------------------------------------------------------------------

    @Test
    void pingIsAnsweredWithPongEvenBeforeJoining() {
        Client c = new Client();

        c.send("{\"type\":\"ping\"}");

        assertEquals(List.of("pong"), c.session.frames.stream().map(f -> f.getString("type")).toList());
    }

    @Test
    void joinSpeaksForTheNewParticipant() {
        Client c = new Client();

        c.send("{\"type\":\"join\",\"room\":\"Demo\",\"name\":\"Alice\"}");

        JsonObject joined = c.session.only("joined");
        assertNotNull(c.member());
        assertEquals(c.id(), joined.getJsonObject("self").getString("id"));
        assertEquals("demo", joined.getString("room"));
    }

    @Test
    void secondJoinOnTheSameConnectionIsAlreadyJoined() {
        Client c = new Client().join("demo", "Alice");

        assertEquals("already-joined", c.sendExpectingError("{\"type\":\"join\",\"room\":\"other\"}"));
        assertTrue(world.presence.room("other").isEmpty());
    }

    @Test
    void refusedJoinLeavesTheConnectionFreeToJoinElsewhere() {
        new Client().join("demo", "A");
        new Client().join("demo", "B");
        Client c = new Client();

        assertEquals("room-full", c.sendExpectingError("{\"type\":\"join\",\"room\":\"demo\"}"));
        assertNull(c.member());
        c.join("another", "C");
        assertEquals("another", c.session.only("joined").getString("room"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"offer\",\"sdp\":\"v=0\"}",
        "{\"type\":\"answer\",\"sdp\":\"v=0\"}",
        "{\"type\":\"candidate\",\"candidate\":null}",
        "{\"type\":\"reject\"}",
        "{\"type\":\"hangup\"}",
        "{\"type\":\"leave\"}"
    })
    void everythingButJoinAndPingNeedsAJoinFirst(String frame) {
        new Client().join("demo", "Alice");
        Client stranger = new Client();

        assertEquals("not-joined", stranger.sendExpectingError(frame));
    }

    @Test
    void leaveAnnouncesPeerLeftAndKeepsTheSocketOpenForAnotherJoin() {
        aliceAndBobInDemo();
        String aliceId = alice.id();

        alice.send("{\"type\":\"leave\"}");

        assertNull(alice.member());
        assertTrue(alice.session.isOpen());
        assertTrue(alice.session.closeCodes.isEmpty());
        assertTrue(alice.session.frames.isEmpty(), "leave has no answer");
        JsonObject left = bob.session.only("peer-left");
        assertEquals(aliceId, left.getJsonObject("peer").getString("id"));
        assertEquals("left", left.getString("reason"));
        assertEquals("not-joined", alice.sendExpectingError("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));

        alice.join("demo", "Alice again");
        assertEquals(1, alice.session.only("joined").getJsonArray("peers").size());
    }

    // --- offer/answer and addressing ---------------------------------------------------------------

    @Test
    void offerIsRelayedWithServerStampedFromAndOnlyListedFields() {
        aliceAndBobInDemo();

        alice.send("{\"type\":\"offer\",\"to\":\"" + bob.id() + "\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 0.0.0.0\","
                + "\"from\":\"someone-else\",\"extra\":\"secret\"}");

        JsonObject offer = bob.session.only("offer");
        assertEquals(Set.of("type", "from", "callId", "sdp"), offer.keySet());
        assertEquals(alice.id(), offer.getString("from"));
        assertEquals("v=0\r\no=- 1 2 IN IP4 0.0.0.0", offer.getString("sdp"));
        LiveCall call = world.calls.between(alice.member(), bob.member());
        assertEquals(call.id, offer.getString("callId"));
        assertSame(alice.member(), call.caller);
        assertTrue(alice.session.frames.isEmpty(), "the sender gets nothing back");
    }

    @Test
    void toMayBeLeftOutWithExactlyOneOtherParticipant() {
        aliceAndBobInDemo();

        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");

        assertEquals(alice.id(), bob.session.only("offer").getString("from"));
    }

    @Test
    void leftOutToWhenAloneIsUnknownPeer() {
        Client c = new Client().join("demo", "Alice");

        assertEquals("unknown-peer", c.sendExpectingError("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
    }

    @Test
    void leftOutToWithSeveralOthersIsUnknownPeer() {
        world.presence.create("trio", 3, null);
        Client a = new Client().join("trio", "A");
        Client b = new Client().join("trio", "B");
        Client c = new Client().join("trio", "C");
        b.clear();
        c.clear();

        assertEquals("unknown-peer", a.sendExpectingError("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        assertTrue(b.session.frames.isEmpty());
        assertTrue(c.session.frames.isEmpty());

        a.send("{\"type\":\"offer\",\"to\":\"" + c.id() + "\",\"sdp\":\"v=0\"}");
        assertTrue(b.session.frames.isEmpty());
        assertEquals(a.id(), c.session.only("offer").getString("from"));
    }

    @Test
    void unknownSelfOrOtherRoomAddresseeIsUnknownPeer() {
        aliceAndBobInDemo();
        Client elsewhere = new Client().join("elsewhere", "Eve");
        elsewhere.clear();

        assertEquals("unknown-peer", alice.sendExpectingError("{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}"));
        assertEquals("unknown-peer",
                alice.sendExpectingError("{\"type\":\"offer\",\"to\":\"" + alice.id() + "\",\"sdp\":\"v=0\"}"));
        assertEquals("unknown-peer",
                alice.sendExpectingError("{\"type\":\"offer\",\"to\":\"" + elsewhere.id() + "\",\"sdp\":\"v=0\"}"));
        assertTrue(elsewhere.session.frames.isEmpty());
        assertTrue(bob.session.frames.isEmpty());
        assertTrue(alice.member().room.calls.isEmpty(), "a refused offer starts no call");
    }

    @Test
    void calleeAnswerIsRelayedInTheSameCallAndActivatesIt() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"offer-sdp\"}");
        String callId = bob.session.only("offer").getString("callId");

        bob.send("{\"type\":\"answer\",\"sdp\":\"answer-sdp\"}");

        JsonObject answer = alice.session.only("answer");
        assertEquals(Set.of("type", "from", "callId", "sdp"), answer.keySet());
        assertEquals(bob.id(), answer.getString("from"));
        assertEquals(callId, answer.getString("callId"));
        assertEquals("answer-sdp", answer.getString("sdp"));
        assertEquals(LiveCall.State.ACTIVE, world.calls.between(alice.member(), bob.member()).state());
    }

    @Test
    void renegotiationOfferFromTheCalleeKeepsTheCallId() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"1\"}");
        bob.send("{\"type\":\"answer\",\"sdp\":\"2\"}");
        String callId = bob.session.only("offer").getString("callId");

        bob.send("{\"type\":\"offer\",\"sdp\":\"3\"}");

        assertEquals(callId, alice.session.only("offer").getString("callId"));
        assertEquals(LiveCall.State.ACTIVE, world.calls.between(alice.member(), bob.member()).state());
    }

    @Test
    void whenBothOfferAtOnceThePoliteCallersAnswerToTheOtherOfferMakesTheCallActive() {
        aliceAndBobInDemo(); // Bob joined second: polite towards Alice
        bob.send("{\"type\":\"offer\",\"sdp\":\"b1\"}"); // the call starts: Bob calls
        alice.send("{\"type\":\"offer\",\"sdp\":\"a1\"}"); // Alice offered at the same time (glare)
        LiveCall call = world.calls.between(alice.member(), bob.member());
        assertEquals(LiveCall.State.RINGING, call.state());

        bob.send("{\"type\":\"answer\",\"sdp\":\"b2\"}"); // polite: rolled his offer back, answered hers

        assertEquals(LiveCall.State.ACTIVE, call.state());
        world.timers.advance(World.RING_TIMEOUT);
        assertEquals(LiveCall.State.ACTIVE, call.state(), "not missed while media flows");
        assertEquals(1, world.history.ofType(dev.parley.history.HistoryEvent.CallAnswered.class).size());
    }

    @Test
    void aCallersAnswerToItsOwnOfferDoesNotAnswerTheCall() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"a1\"}");

        alice.send("{\"type\":\"answer\",\"sdp\":\"a2\"}");

        assertEquals(LiveCall.State.RINGING, world.calls.between(alice.member(), bob.member()).state());
    }

    @Test
    void answerWithoutCallIsNoCall() {
        aliceAndBobInDemo();

        assertEquals("no-call", bob.sendExpectingError("{\"type\":\"answer\",\"sdp\":\"v=0\"}"));
        assertTrue(alice.session.frames.isEmpty());
    }

    // --- candidates ---------------------------------------------------------------------------------

    @Test
    void candidateWithoutCallIsRelayedWithNullCallId() {
        aliceAndBobInDemo();

        alice.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 192.0.2.1 5000 typ host\","
                + "\"sdpMid\":\"0\"},\"to\":\"" + bob.id() + "\"}");

        JsonObject candidate = bob.session.only("candidate");
        assertEquals(Set.of("type", "from", "callId", "candidate"), candidate.keySet());
        assertEquals(alice.id(), candidate.getString("from"));
        assertTrue(candidate.isNull("callId"));
        assertEquals("0", candidate.getJsonObject("candidate").getString("sdpMid"));
    }

    @Test
    void candidateDuringCallCarriesTheCallIdAndEndOfCandidatesIsNull() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        String callId = bob.session.only("offer").getString("callId");

        bob.send("{\"type\":\"candidate\",\"candidate\":null}");

        JsonObject candidate = alice.session.only("candidate");
        assertEquals(callId, candidate.getString("callId"));
        assertTrue(candidate.isNull("candidate"));
    }

    // --- reject and hangup --------------------------------------------------------------------------

    @Test
    void calleeRejectIsRelayedWithReasonAndEndsTheCall() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        String callId = bob.session.only("offer").getString("callId");

        bob.send("{\"type\":\"reject\",\"reason\":\"busy\"}");

        JsonObject reject = alice.session.only("reject");
        assertEquals(Set.of("type", "from", "callId", "reason"), reject.keySet());
        assertEquals(bob.id(), reject.getString("from"));
        assertEquals(callId, reject.getString("callId"));
        assertEquals("busy", reject.getString("reason"));
        assertTrue(alice.session.ofType("call-ended").isEmpty());
        assertNull(world.calls.between(alice.member(), bob.member()));
        assertEquals("rejected", world.history.ofType(CallEnded.class).get(0).reason());
    }

    @Test
    void callerRejectIsNoCallAndTheCallRingsOn() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");

        assertEquals("no-call", alice.sendExpectingError("{\"type\":\"reject\"}"));
        assertTrue(bob.session.ofType("reject").isEmpty());
        assertEquals(LiveCall.State.RINGING, world.calls.between(alice.member(), bob.member()).state());
    }

    @Test
    void hangupIsRelayedAndEndsTheCall() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        bob.send("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
        String callId = bob.session.only("offer").getString("callId");

        bob.send("{\"type\":\"hangup\"}");

        JsonObject hangup = alice.session.only("hangup");
        assertEquals(Set.of("type", "from", "callId"), hangup.keySet());
        assertEquals(bob.id(), hangup.getString("from"));
        assertEquals(callId, hangup.getString("callId"));
        assertTrue(alice.session.ofType("call-ended").isEmpty());
        assertEquals("hangup", world.history.ofType(CallEnded.class).get(0).reason());
        assertEquals("no-call", bob.sendExpectingError("{\"type\":\"hangup\"}"));
    }

    @Test
    void hangupWithoutCallIsNoCall() {
        aliceAndBobInDemo();

        assertEquals("no-call", alice.sendExpectingError("{\"type\":\"hangup\"}"));
        assertTrue(bob.session.frames.isEmpty());
    }

    // --- resume, kick, drop -------------------------------------------------------------------------

    @Test
    void joinWithResumeTakesOverTheParticipantAndClosesTheOldSocketWith4000() {
        aliceAndBobInDemo();
        String aliceId = alice.id();
        Client again = new Client();

        again.send("{\"type\":\"join\",\"room\":\"ignored-room\",\"resume\":\"" + alice.token() + "\"}");

        assertEquals(aliceId, again.id());
        assertEquals("demo", again.session.only("joined").getString("room"));
        assertTrue(world.presence.room("ignored-room").isEmpty(), "room is ignored on resume");
        assertEquals(List.of(4000), alice.session.closeCodes);
        assertNull(alice.connection.member(), "the old socket no longer speaks for the participant");
        assertTrue(alice.connection.detached());
        assertTrue(bob.session.frames.isEmpty(), "peers see no peer-left");
        assertEquals("not-joined", alice.sendExpectingError("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));

        bob.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertEquals(bob.id(), again.session.only("offer").getString("from"));
    }

    @Test
    void joinWithUnknownResumeTokenIsUnauthorized() {
        Client c = new Client();

        assertEquals("unauthorized", c.sendExpectingError("{\"type\":\"join\",\"resume\":\"forged\"}"));
        assertNull(c.member());
    }

    @Test
    void kickedSocketIsClosed4001AndCanNoLongerSignal() {
        aliceAndBobInDemo();

        assertTrue(world.presence.kick("demo", alice.id()));

        assertEquals(List.of(4001), alice.session.closeCodes);
        assertFalse(alice.session.isOpen());
        assertEquals("not-joined", alice.sendExpectingError("{\"type\":\"offer\",\"sdp\":\"v=0\"}"));
        assertEquals("kicked", bob.session.only("peer-left").getString("reason"));
    }

    @Test
    void framesForADroppedPeerAreDiscardedAndTheResumedSocketStartsClean() {
        aliceAndBobInDemo();
        world.presence.dropped(alice.member(), alice.connection);

        bob.send("{\"type\":\"candidate\",\"candidate\":null}");
        Client again = new Client();
        again.send("{\"type\":\"join\",\"resume\":\"" + alice.token() + "\"}");

        assertTrue(alice.session.frames.isEmpty());
        assertEquals(List.of("joined"), again.session.frames.stream().map(f -> f.getString("type")).toList());
    }

    @Test
    void whileHistoryIsBehindNewcomersAreTurnedAwayAndThoseInCarryOn() {
        aliceAndBobInDemo();
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        String callId = bob.session.only("offer").getString("callId");
        world.history.behind = true;

        assertEquals("unavailable", new Client().sendExpectingError("{\"type\":\"join\",\"room\":\"other\"}"));
        assertEquals("unavailable", new Client().sendExpectingError("{\"type\":\"join\"}"), "a random room too");
        assertThrows(SignalException.class, () -> world.presence.create("rest-room", 2, null), "REST creation too");
        assertTrue(world.presence.room("other").isEmpty());
        assertTrue(world.presence.room("rest-room").isEmpty());
        // Those already in: a resume is let in, the call is answered and ended, and all of it is recorded.
        world.presence.dropped(bob.member(), bob.connection);
        Client bobAgain = new Client();
        bobAgain.send("{\"type\":\"join\",\"resume\":\"" + bob.token() + "\"}");
        assertEquals(bob.id(), bobAgain.id());
        bobAgain.send("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
        alice.send("{\"type\":\"hangup\"}");
        assertEquals(callId, world.history.ofType(CallEnded.class).get(0).callId());

        world.history.behind = false;
        Client late = new Client().join("other", "Carol");
        assertEquals("other", late.session.only("joined").getString("room"));
    }

    // --- join tokens (PROTOCOL.md §4) and resume throttling ------------------------------------------

    private static final String JOIN_SECRET = "0123456789abcdef0123456789abcdef-join";

    private void requireJoinTokens() {
        signaling = new Signaling(world.presence, world.calls, new JoinTokens(JOIN_SECRET, world.clock), null);
    }

    private String token(String room, String name) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().claim("room", room)
                .claim("name", name).expirationTime(Date.from(world.clock.instant().plusSeconds(60))).build());
        jwt.sign(new MACSigner(JOIN_SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void withJoinTokensTheParticipantTakesTheTokensRoomAndName() throws Exception {
        requireJoinTokens();
        Client c = new Client();

        c.send("{\"type\":\"join\",\"name\":\"Mallory\",\"token\":\"" + token("Team-A", "Ada") + "\"}");

        JsonObject joined = c.session.only("joined");
        assertEquals("team-a", joined.getString("room"));
        assertEquals("Ada", joined.getJsonObject("self").getString("name"));
    }

    @Test
    void withJoinTokensAMissingTokenOrAnotherRoomIsUnauthorized() throws Exception {
        requireJoinTokens();
        Client c = new Client();

        assertEquals("unauthorized", c.sendExpectingError("{\"type\":\"join\",\"room\":\"team-a\"}"));
        assertEquals("unauthorized", c.sendExpectingError(
                "{\"type\":\"join\",\"room\":\"team-b\",\"token\":\"" + token("team-a", "Ada") + "\"}"));
        assertTrue(world.presence.rooms().isEmpty());
        c.send("{\"type\":\"join\",\"room\":\"TEAM-A\",\"token\":\"" + token("team-a", "Ada") + "\"}");
        assertEquals("team-a", c.session.last().getString("room"));
    }

    @Test
    void withJoinTokensAResumeNeedsNoToken() throws Exception {
        requireJoinTokens();
        Client c = new Client();
        c.send("{\"type\":\"join\",\"token\":\"" + token("team-a", "Ada") + "\"}");
        String resumeToken = c.session.last().getString("resumeToken");
        world.presence.dropped(c.member(), c.connection);

        Client again = new Client();
        again.send("{\"type\":\"join\",\"resume\":\"" + resumeToken + "\"}");

        assertEquals(c.id(), again.id());
    }

    @Test
    void invalidResumeTokensFromOneIpv6NetworkAreCountedTogether() {
        signaling = new Signaling(world.presence, world.calls, JoinTokens.NONE, new AddressRateLimit(3, world.clock));
        for (int i = 0; i <= 3; i++) {
            // Each address of the /64 is another address in history, and the same client to the limit.
            Connection guesser = new Connection(new SessionWire(new FakeSession()), Runnable::run, 1024, 1 << 20,
                    new RateLimiter(50, 200, 0), 0, "Mozilla/5.0 (test)", "sha256:address-" + i);
            guesser.rateKey = dev.parley.security.AddressKey.of("2001:db8::" + (i + 1));
            SignalException refused = assertThrows(SignalException.class, () -> signaling.handle(guesser,
                    codec.decode("{\"type\":\"join\",\"resume\":\"guess\"}")));
            assertEquals(i < 3 ? "unauthorized" : "rate-limited", refused.code(), "guess " + (i + 1));
        }
    }

    @Test
    void invalidResumeTokensAreThrottledPerAddressEvenForAValidOneLater() {
        signaling = new Signaling(world.presence, world.calls, JoinTokens.NONE, new AddressRateLimit(3, world.clock));
        aliceAndBobInDemo();
        world.presence.dropped(alice.member(), alice.connection);
        Client guesser = new Client();

        for (int i = 0; i < 3; i++) {
            assertEquals("unauthorized", guesser.sendExpectingError("{\"type\":\"join\",\"resume\":\"guess-" + i + "\"}"));
        }
        assertEquals("rate-limited", guesser.sendExpectingError("{\"type\":\"join\",\"resume\":\"guess-4\"}"));
        assertEquals("rate-limited", new Client().sendExpectingError(
                "{\"type\":\"join\",\"resume\":\"" + alice.token() + "\"}"), "the same address, another socket");

        world.clock.advance(java.time.Duration.ofMinutes(1));
        Client back = new Client();
        back.send("{\"type\":\"join\",\"resume\":\"" + alice.token() + "\"}");
        assertEquals(alice.id(), back.id());
    }
}
