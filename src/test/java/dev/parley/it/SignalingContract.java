package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Api;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The signaling contract (PROTOCOL.md §1) against the real WAR, with real WebSocket clients: whole calls, every
 * end reason the server decides, resume, and every error code. The same tests run on Payara Micro
 * ({@link SignalingIT}) and on WildFly ({@link WildFlyIT}), black-box from {@link #base()}.
 * The test server rings for 3 s, keeps dropped seats for 2 s and closes unjoined sockets after 3 s.
 */
public abstract class SignalingContract {

    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    /** Where the WAR under test is served ({@code http://host:port/}). */
    protected abstract URL base();

    private JsonObject call(String room) {
        return Api.object(new Api(base()).adminGet("api/calls?room=" + room).body()).getJsonArray("items").getJsonObject(0);
    }

    /** 64 characters, the longest name, outside the BMP: 128 UTF-16 code units, which is how H2 counts a VARCHAR. */
    @Test
    void aNameOfSixtyFourEmojiIsKeptInTheCallHistory() {
        String room = ParleyWar.room("emoji");
        String name = "\uD83D\uDE00".repeat(64);
        try (WsClient alice = WsClient.joined(base(), room, name); WsClient bob = WsClient.joined(base(), room, "Bob")) {
            alice.expect("peer-joined");
            alice.send("offer", "sdp", SDP);
            bob.expect("offer");
            JsonObject call = call(room);
            assertEquals(name, call.getJsonObject("caller").getString("name"));
            assertEquals("ringing", call.getString("status"));
        }
    }

    @Test
    void twoParticipantsCompleteACallThatHistoryRecords() {
        String room = ParleyWar.room("call");
        try (WsClient alice = WsClient.joined(base(), room, "Alice"); WsClient bob = WsClient.connect(base())) {
            bob.send(Json.createObjectBuilder().add("type", "join").add("room", room.toUpperCase()).add("name", "Bob").build());
            JsonObject bobJoined = bob.expectJoined();
            assertEquals(room, bobJoined.getString("room"), "room names are case-folded");
            JsonObject peerSeenByBob = bobJoined.getJsonArray("peers").getJsonObject(0);
            assertEquals(alice.id, peerSeenByBob.getString("id"));
            assertEquals("Alice", peerSeenByBob.getString("name"));
            JsonObject peerJoined = alice.expect("peer-joined").getJsonObject("peer");
            assertEquals(bob.id, peerJoined.getString("id"));
            assertNotEquals(peerSeenByBob.getBoolean("polite"), peerJoined.getBoolean("polite"),
                    "the two sides of a pair must disagree on politeness");
            assertEquals(2, bobJoined.getInt("capacity"));
            assertTrue(bobJoined.containsKey("iceServers") && bobJoined.containsKey("iceTtl"));

            // A forged 'from' and unknown fields are not passed on; 'to' may be left out with one peer.
            alice.sendRaw("{\"type\":\"offer\",\"sdp\":" + Json.createValue(SDP) + ",\"from\":\"mallory\",\"x\":1}");
            JsonObject offer = bob.expect("offer");
            assertEquals(alice.id, offer.getString("from"));
            assertEquals(SDP, offer.getString("sdp"));
            assertEquals(Set.of("type", "from", "callId", "sdp"), offer.keySet());
            String callId = offer.getString("callId");
            assertEquals("ringing", call(room).getString("status"));

            bob.send(Json.createObjectBuilder().add("type", "candidate").add("to", alice.id)
                    .add("candidate", Json.createObjectBuilder().add("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host")
                            .add("sdpMid", "0").add("sdpMLineIndex", 0)).build());
            JsonObject candidate = alice.expect("candidate");
            assertEquals(callId, candidate.getString("callId"));
            assertEquals("0", candidate.getJsonObject("candidate").getString("sdpMid"));

            bob.send("answer", "to", alice.id, "sdp", SDP);
            assertEquals(callId, alice.expect("answer").getString("callId"));
            // Renegotiation inside the call keeps its id and does not start another call.
            bob.send("offer", "sdp", SDP);
            assertEquals(callId, alice.expect("offer").getString("callId"));
            alice.send("answer", "sdp", SDP);
            bob.expect("answer");

            alice.send("hangup");
            JsonObject hangup = bob.expect("hangup");
            assertEquals(alice.id, hangup.getString("from"));
            assertEquals(callId, hangup.getString("callId"));

            JsonObject record = Api.object(new Api(base()).adminGet("api/calls/" + callId).body());
            assertEquals("ended", record.getString("status"));
            assertEquals("hangup", record.getString("endReason"));
            assertEquals(alice.id, record.getJsonObject("caller").getString("id"));
            assertEquals("Bob", record.getJsonObject("callee").getString("name"));
            assertTrue(record.getJsonObject("caller").getString("userAgent").startsWith("Java-http-client"));
            String address = record.getJsonObject("callee").getString("address");
            assertTrue(address.matches("sha256:[0-9a-f]{32}"), "addresses are kept as salted hashes: " + address);
            assertEquals(address, record.getJsonObject("caller").getString("address"), "same client address, same hash");
            assertTrue(record.getJsonNumber("setupMs").longValue() >= 0);
            assertNotNull(record.getString("answeredAt"));
        }
    }

    @Test
    void calleeRejectsARingingCallAndOnlyTheCalleeMay() {
        String room = ParleyWar.room("reject");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", SDP);
            String callId = b.expect("offer").getString("callId");
            a.send("reject");
            a.expectError("no-call", "reject");
            b.send("reject", "reason", "busy");
            JsonObject reject = a.expect("reject");
            assertEquals("busy", reject.getString("reason"));
            assertEquals(callId, reject.getString("callId"));
            assertEquals("rejected", call(room).getString("endReason"));
            b.send("hangup");
            b.expectError("no-call", "hangup");
        }
    }

    @Test
    void hangingUpARingingCallCancelsIt() {
        String room = ParleyWar.room("cancel");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.send("offer", "sdp", SDP);
            b.expect("offer");
            a.send("hangup");
            b.expect("hangup");
            JsonObject record = call(room);
            assertEquals("cancelled", record.getString("endReason"));
            assertEquals(0, record.getInt("durationS"));
            assertTrue(record.isNull("setupMs"));
        }
    }

    @Test
    void anUnansweredCallIsMissedAfterTheRingTimeout() {
        String room = ParleyWar.room("missed");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", SDP);
            String callId = b.expect("offer").getString("callId");
            JsonObject endedForCaller = a.expect("call-ended");
            assertEquals(callId, endedForCaller.getString("callId"));
            assertEquals("missed", endedForCaller.getString("reason"));
            assertEquals(b.id, endedForCaller.getJsonObject("peer").getString("id"), "whom the call that rang out was to");
            assertEquals("missed", b.expect("call-ended").getString("reason"));
            assertEquals("missed", call(room).getString("endReason"));
            // The next offer starts a new call.
            a.send("offer", "sdp", SDP);
            assertNotEquals(callId, b.expect("offer").getString("callId"));
        }
    }

    @Test
    void leavingEndsTheCallAndTheSocketMayJoinAgain() {
        String room = ParleyWar.room("leave");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.callAndAnswer(b);
            b.send("leave");
            JsonObject ended = a.expect("call-ended");
            assertEquals("left", ended.getString("reason"));
            JsonObject left = a.expect("peer-left");
            assertEquals(b.id, left.getJsonObject("peer").getString("id"));
            assertEquals("left", left.getString("reason"));
            assertEquals("left", call(room).getString("endReason"));
            b.send("offer", "sdp", SDP);
            b.expectError("not-joined", "offer");
            b.send("join", "room", room, "name", "B again");
            assertNotEquals(b.id, b.expectJoined().getJsonObject("self").getString("id"));
            a.expect("peer-joined");
        }
    }

    @Test
    void aDroppedParticipantResumesWithItsIdRoomAndCall() {
        String room = ParleyWar.room("resume");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            String callId = a.callAndAnswer(b);

            b.drop();
            try (WsClient b2 = WsClient.connect(base())) {
                b2.send("join", "resume", b.resumeToken, "room", "ignored-room");
                JsonObject joined = b2.expectJoined();
                assertEquals(b.id, b2.id, "a resume keeps the participant's id");
                assertEquals(room, joined.getString("room"));
                assertNotEquals(b.resumeToken, b2.resumeToken, "every joined carries a new token");
                assertEquals(a.id, joined.getJsonArray("peers").getJsonObject(0).getString("id"));
                JsonObject inProgress = joined.getJsonArray("calls").getJsonObject(0);
                assertEquals(1, joined.getJsonArray("calls").size(), "the resumed side is told of its call");
                assertEquals(callId, inProgress.getString("id"));
                assertEquals("active", inProgress.getString("status"));
                assertEquals(a.id, inProgress.getJsonObject("peer").getString("id"));
                assertEquals(a.id, inProgress.getJsonObject("caller").getString("id"));
                a.expectSilence(Duration.ofMillis(2500)); // longer than the grace: no peer-left, no call-ended

                b2.send("hangup");
                assertEquals(callId, a.expect("hangup").getString("callId"));
                assertEquals("hangup", call(room).getString("endReason"));

                try (WsClient stale = WsClient.connect(base())) {
                    stale.send("join", "resume", b.resumeToken);
                    stale.expectError("unauthorized", "join");
                }
            }
        }
    }

    /**
     * The hang-up went to a link that was down, so only the resumed {@code joined} can tell the page its call is
     * over; otherwise its renegotiation (an offer) would ring at the peer as a new call.
     */
    @Test
    void aCallThatEndedWhileAParticipantWasAwayIsNotInItsResumedJoined() {
        String room = ParleyWar.room("away");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            assertEquals(0, b.joined.getJsonArray("calls").size(), "a fresh participant has no calls");
            a.expect("peer-joined");
            a.callAndAnswer(b);

            b.drop();
            a.send("hangup");
            try (WsClient b2 = WsClient.connect(base())) {
                b2.send("join", "resume", b.resumeToken);
                JsonObject joined = b2.expectJoined();
                assertEquals(b.id, b2.id);
                assertEquals(0, joined.getJsonArray("calls").size(), "the call ended while B was away");
                assertEquals("hangup", call(room).getString("endReason"));
            }
        }
    }

    /** The offer went to a link that was down; the callee that comes back while the call rings is sent it again. */
    @Test
    void aCalleeThatResumesWhileItsCallRingsGetsTheOfferItMissed() {
        String room = ParleyWar.room("missed-offer");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            b.drop();
            a.send("offer", "sdp", SDP);
            try (WsClient b2 = WsClient.connect(base())) {
                b2.send("join", "resume", b.resumeToken);
                JsonObject ringing = b2.expectJoined().getJsonArray("calls").getJsonObject(0);
                assertEquals("ringing", ringing.getString("status"));
                JsonObject offer = b2.expect("offer");
                assertEquals(a.id, offer.getString("from"));
                assertEquals(ringing.getString("id"), offer.getString("callId"));
                assertEquals(SDP, offer.getString("sdp"));
                b2.send("answer", "sdp", SDP);
                assertEquals(ringing.getString("id"), a.expect("answer").getString("callId"));
                assertEquals("active", call(room).getString("status"));
            }
        }
    }

    @Test
    void aResumeTakesOverAConnectionThatIsStillOpen() {
        String room = ParleyWar.room("takeover");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B");
             WsClient b2 = WsClient.connect(base())) {
            a.expect("peer-joined");
            b2.send("join", "resume", b.resumeToken);
            b2.expectJoined();
            assertEquals(4000, b.awaitClose());
            a.expectSilence(Duration.ofMillis(500));
            a.send("offer", "sdp", SDP);
            assertEquals(a.id, b2.expect("offer").getString("from"));
        }
    }

    @Test
    void aParticipantThatDoesNotComeBackIsDisconnectedAfterTheGrace() {
        String room = ParleyWar.room("grace");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.callAndAnswer(b);
            JsonObject seat = Api.object(new Api(base()).adminGet("api/rooms/" + room).body());
            assertEquals(2, seat.getJsonArray("participants").size());
            b.drop();
            JsonObject ended = a.expect("call-ended");
            assertEquals("disconnected", ended.getString("reason"));
            JsonObject left = a.expect("peer-left");
            assertEquals("disconnected", left.getString("reason"));
            assertEquals(b.id, left.getJsonObject("peer").getString("id"));
            assertEquals("disconnected", call(room).getString("endReason"));
            try (WsClient late = WsClient.connect(base())) {
                late.send("join", "resume", b.resumeToken);
                assertFalse(late.expectError("unauthorized", "join").containsKey("reason"),
                        "too late, but not put out: the client may join again");
            }
        }
    }

    @Test
    void aRoomWithoutANameGetsARandomUnguessableOne() {
        try (WsClient a = WsClient.connect(base()); WsClient b = WsClient.connect(base())) {
            a.send("join", "name", "A");
            String room = a.expectJoined().getString("room");
            assertTrue(room.matches("[a-z0-9-]{20,64}"), room);
            b.send("join");
            JsonObject other = b.expectJoined();
            assertNotEquals(room, other.getString("room"));
            assertEquals("Guest", other.getJsonObject("self").getString("name"));
        }
    }

    @Test
    void everyRefusalNamesItsCodeAndKeepsTheConnectionOpen() {
        String room = ParleyWar.room("errors");
        try (WsClient a = WsClient.connect(base())) {
            a.send("offer", "sdp", SDP);
            a.expectError("not-joined", "offer");
            a.sendRaw("not json");
            a.expectError("bad-message", null);
            a.sendRaw("[1,2]");
            a.expectError("bad-message", null);
            a.sendRaw("{\"type\":\"dance\"}");
            a.expectError("bad-message", null);
            a.sendRaw("{\"type\":\"join\",\"room\":7}");
            a.expectError("bad-message", "join");
            a.send("join", "room", room, "name", "x".repeat(65));
            a.expectError("bad-message", "join");
            a.send("join", "room", "Not a room!");
            a.expectError("invalid-room", "join");
            a.send("join", "room", "\u0455tudio"); // Cyrillic dze looks like 's'
            a.expectError("invalid-room", "join");
            a.send("join", "resume", "no-such-token");
            a.expectError("unauthorized", "join");
            a.expectAlive();

            a.send("join", "room", room, "name", "A", "password", "open sesame");
            a.expectJoined();
            a.send("join", "room", room);
            a.expectError("already-joined", "join");
            a.send("offer", "sdp", SDP);
            a.expectError("unknown-peer", "offer");

            try (WsClient b = WsClient.connect(base()); WsClient c = WsClient.connect(base())) {
                b.send("join", "room", room, "name", "B");
                b.expectError("wrong-password", "join");
                b.send("join", "room", room, "name", "B", "password", "guess");
                b.expectError("wrong-password", "join");
                b.send("join", "room", room, "name", "B", "password", "open sesame");
                b.expectJoined();
                a.expect("peer-joined");
                c.send("join", "room", room, "name", "C", "password", "open sesame");
                c.expectError("room-full", "join");

                a.send("answer", "sdp", SDP);
                a.expectError("no-call", "answer");
                a.send("offer", "to", "nobody", "sdp", SDP);
                a.expectError("unknown-peer", "offer");
                a.send("offer", "to", a.id, "sdp", SDP);
                a.expectError("unknown-peer", "offer");
                a.send("offer");
                a.expectError("bad-message", "offer");
                a.send("offer", "sdp", "x".repeat(32 * 1024 + 1));
                a.expectError("too-large", "offer");
                a.send(Json.createObjectBuilder().add("type", "candidate")
                        .add("candidate", Json.createObjectBuilder().add("candidate", "c".repeat(1100))).build());
                a.expectError("too-large", "candidate");
                a.sendRaw("{\"type\":\"candidate\",\"candidate\":\"text\"}");
                a.expectError("bad-message", "candidate");
                a.sendRaw("{\"type\":\"candidate\",\"candidate\":null}");
                assertTrue(b.expect("candidate").isNull("callId"), "a candidate outside a call has callId null");
                a.expectAlive();
                b.expectSilence(Duration.ofMillis(200));
            }
        }
    }

    @Test
    void aBrowserPageOfAnotherOriginIsRefusedAtTheHandshake() {
        var refused = assertThrows(CompletionException.class, () -> WsClient.connect(base(), "http://evil.example"));
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        String own = base().getProtocol() + "://" + base().getHost() + ":" + base().getPort();
        try (WsClient sameOrigin = WsClient.connect(base(), own)) {
            sameOrigin.expectAlive();
        }
    }

    @Test
    void aSocketThatNeverJoinsIsClosedAfterTheJoinTimeout() {
        try (WsClient idle = WsClient.connect(base())) {
            idle.send("ping");
            idle.expect("pong");
            assertEquals(1008, idle.awaitClose());
        }
    }

    @Test
    void framesOverTheSizeLimitAndBinaryFramesCloseTheConnection() {
        try (WsClient big = WsClient.connect(base()); WsClient binary = WsClient.connect(base())) {
            big.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, big.awaitClose());
            binary.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, binary.awaitClose());
        }
    }

    @Test
    void anAdminKickClosesTheParticipantAndTellsTheOthers() {
        String room = ParleyWar.room("kick");
        Api api = new Api(base());
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", SDP);
            b.expect("offer");
            assertEquals(204, api.admin("DELETE", "api/rooms/" + room + "/participants/" + b.id).statusCode());
            assertEquals(4001, b.awaitClose());
            assertEquals("kicked", a.expect("call-ended").getString("reason"));
            JsonObject left = a.expect("peer-left");
            assertEquals("kicked", left.getString("reason"));
            assertEquals("kicked", call(room).getString("endReason"));
            try (WsClient again = WsClient.connect(base())) {
                again.send("join", "resume", b.resumeToken);
                assertEquals("kicked", again.expectError("unauthorized", "join").getString("reason"),
                        "the client is told not to come back by itself");
            }
            assertEquals(404, api.admin("DELETE", "api/rooms/" + room + "/participants/" + b.id).statusCode());
        }
    }

    @Test
    void closingARoomEndsItsCallsAndClosesEveryone() {
        String room = ParleyWar.room("close");
        Api api = new Api(base());
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.callAndAnswer(b);
            assertEquals(204, api.admin("DELETE", "api/rooms/" + room).statusCode());
            for (WsClient side : new WsClient[] {a, b}) {
                assertEquals("room-closed", side.expect("call-ended").getString("reason"));
                assertEquals("room-closed", side.expect("peer-left").getString("reason"));
                assertEquals(4001, side.awaitClose());
            }
            assertEquals("room-closed", call(room).getString("endReason"));
            try (WsClient again = WsClient.connect(base())) {
                again.send("join", "resume", b.resumeToken);
                assertEquals("room-closed", again.expectError("unauthorized", "join").getString("reason"));
            }
            assertEquals(404, api.adminGet("api/rooms/" + room).statusCode());
            assertFalse(api.adminGet("api/rooms").body().contains(room));
        }
    }
}
