package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.it.support.Api;
import dev.parley.it.support.FuzzClient;
import dev.parley.it.support.FuzzCorpus;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.RawWebSocket;
import dev.parley.it.support.WsClient;
import jakarta.json.JsonObject;
import java.io.DataInputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile clients against the real WAR with the suite's settings (20 connections per address, 50 messages/s
 * with bursts of 200, pings every 5 s, resume grace 2 s): each abuse gets its error or close code, and the
 * bystander in another room notices nothing. All clients come from 127.0.0.1, so each test first waits for the
 * sockets of the previous one to be gone.
 */
@ExtendWith(ArquillianExtension.class)
class HostileInputIT {

    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Deployment(testable = false)
    static WebArchive war() {
        return ParleyWar.build();
    }

    @ArquillianResource
    URL base;

    private JsonObject status() {
        return new Api(base).adminJson("api/status");
    }

    /** Waits until the server holds no more than {@code n} sockets (closes are processed asynchronously). */
    private void awaitOpenConnections(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (status().getInt("openConnections") > n) {
            if (System.nanoTime() > deadline) {
                fail("the server still holds " + status() + " sockets");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void oneAddressMayHoldOnlyTheConfiguredNumberOfConnections() throws Exception {
        awaitOpenConnections(0);
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(WsClient.joined(base, ParleyWar.room("limit"), "C" + i)); // joined: no join timeout
            }
            var refused = assertThrows(CompletionException.class, () -> WsClient.connect(base));
            var handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
            assertEquals(429, handshake.getResponse().statusCode());
            assertTrue(String.valueOf(handshake.getResponse().body()).contains("too-many-connections"));
            assertEquals(20, status().getInt("openConnections"), "a refused handshake creates no session");
            clients.get(0).expectAlive();

            clients.remove(0).close();
            awaitOpenConnections(19);
            try (WsClient again = WsClient.joined(base, ParleyWar.room("limit"), "Again")) {
                again.expectAlive();
            }
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void duplicateKeysDeepNestingTrailingDataAndWrongTypesAreBadMessages() throws Exception {
        awaitOpenConnections(0);
        String room = ParleyWar.room("shape");
        try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
            a.expect("peer-joined");
            for (String frame : List.of(
                    "{\"type\":\"offer\",\"sdp\":\"v=0\",\"sdp\":\"v=1\"}",
                    "{\"type\":\"offer\",\"\\u0073dp\":\"v=0\",\"sdp\":\"v=1\"}",
                    "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a\",\"candidate\":\"b\"}}",
                    "{\"type\":\"ping\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
                    "{\"type\":\"ping\",\"x\":" + "{\"a\":".repeat(9) + "1" + "}".repeat(9) + "}",
                    "{\"type\":\"ping\"} {\"type\":\"ping\"}",
                    "{\"type\":\"offer\",\"sdp\":[\"v=0\"]}",
                    "{\"type\":\"candidate\",\"candidate\":\"candidate:1\"}",
                    "{\"type\":\"hangup\",\"to\":{\"id\":1}}",
                    "{\"type\":[\"join\"]}")) {
                a.sendRaw(frame);
                JsonObject error = a.expect("error");
                assertEquals("bad-message", error.getString("code"), frame);
                assertFalse(error.getString("message").contains("Exception"), error.toString());
            }
            a.expectAlive();
            b.expectSilence(Duration.ofMillis(300));
        }
    }

    @Test
    void invalidUtf8IsClosed1007AndNobodyElseNotices() throws Exception {
        awaitOpenConnections(0);
        String room = ParleyWar.room("utf8");
        try (WsClient bystander = WsClient.joined(base, room, "Bystander");
             RawWebSocket raw = RawWebSocket.connect(base)) {
            raw.send(RawWebSocket.TEXT, new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            assertEquals(1007, raw.awaitClose(Duration.ofSeconds(10)));
            bystander.expectAlive();
        }
        try (RawWebSocket overlong = RawWebSocket.connect(base)) {
            overlong.send(RawWebSocket.TEXT, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}); // overlong '/'
            assertEquals(1007, overlong.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosed1008WhileABystanderIsServedPromptly() throws Exception {
        awaitOpenConnections(0);
        try (WsClient flooder = WsClient.joined(base, ParleyWar.room("flood"), "Flooder");
             WsClient bystander = WsClient.joined(base, ParleyWar.room("bystander"), "B")) {
            long start = System.nanoTime();
            long firstRefusal = 0;
            int pongs = 0;
            long slowestBystander = 0;
            // The server answers every ping in order, with a pong or a refusal: the n-th answer is for the n-th ping,
            // so the flood is timed from when the first refused ping was sent, however late this loaded client
            // happens to read the answer.
            List<Long> sentAt = new ArrayList<>();
            int answers = 0;
            for (int i = 0; !flooder.isClosed() && System.nanoTime() - start < Duration.ofSeconds(15).toNanos(); i++) {
                try {
                    sentAt.add(System.nanoTime());
                    flooder.send("ping");
                } catch (CompletionException e) {
                    break; // closed under us
                }
                for (JsonObject frame = flooder.next(Duration.ZERO); frame != null; frame = flooder.next(Duration.ZERO)) {
                    if (frame.getString("type").equals("pong")) {
                        pongs++;
                    } else if (firstRefusal == 0) {
                        assertEquals("rate-limited", frame.getString("code"), frame.toString());
                        assertEquals("ping", frame.getString("ref"));
                        firstRefusal = sentAt.get(answers);
                    }
                    answers++;
                }
                if (i % 100 == 0) {
                    long t = System.nanoTime();
                    bystander.expectAlive();
                    slowestBystander = Math.max(slowestBystander, System.nanoTime() - t);
                }
                Thread.sleep(2); // about 300 messages a second: six times the allowed rate
            }
            assertEquals(1008, flooder.awaitClose());
            assertTrue(firstRefusal > 0, "the flood was answered rate-limited before it was closed");
            assertTrue(pongs >= 200, "the burst of 200 is served: " + pongs);
            long flooding = Duration.ofNanos(System.nanoTime() - firstRefusal).toMillis();
            assertTrue(flooding >= 4_500 && flooding < 9_000, "closed after about 5 s of flooding: " + flooding + " ms");
            assertTrue(slowestBystander < Duration.ofSeconds(1).toNanos(),
                    "the bystander waited " + slowestBystander / 1_000_000 + " ms");
            bystander.expectAlive();
        }
    }

    @Test
    void guessingResumeTokensIsThrottledEvenForAValidTokenAfterwards() throws Exception {
        awaitOpenConnections(0);
        String room = ParleyWar.room("guess");
        try (WsClient victim = WsClient.joined(base, room, "Victim"); WsClient guesser = WsClient.connect(base)) {
            // The suite's server allows 10 invalid resumes a minute per address; SignalingIT runs in its own server.
            int unauthorized = 0;
            JsonObject error;
            do {
                guesser.send("join", "resume", "guess-" + unauthorized);
                error = guesser.expect("error");
                if (error.getString("code").equals("unauthorized")) {
                    unauthorized++;
                }
            } while (error.getString("code").equals("unauthorized") && unauthorized < 20);
            assertEquals("rate-limited", error.getString("code"), error.toString());
            assertTrue(unauthorized <= 10, unauthorized + " guesses were answered before the throttle");
            guesser.send("join", "resume", victim.resumeToken);
            guesser.expectError("rate-limited", "join");
            guesser.expectAlive();
            victim.expectAlive();
        }
    }

    @Test
    void aHalfOpenConnectionIsFoundByTheHeartbeatAndItsParticipantDropped() throws Exception {
        awaitOpenConnections(0);
        String room = ParleyWar.room("halfopen");
        try (WsClient peer = WsClient.joined(base, room, "Peer"); RawWebSocket silent = RawWebSocket.connect(base)) {
            silent.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"Silent\"}");
            long lastSignOfLife = System.nanoTime();
            RawWebSocket.Frame joined;
            do {
                joined = silent.read(Duration.ofSeconds(10)); // skips any ping, never answering it
                assertNotNull(joined, "no joined");
            } while (joined.opcode() != RawWebSocket.TEXT);
            assertTrue(joined.text().contains("\"joined\""), joined.text());
            String silentId = peer.expect("peer-joined").getJsonObject("peer").getString("id");
            // From now on the client neither reads nor answers pings: to the server it is a half-open connection.

            long deadline = lastSignOfLife + Duration.ofSeconds(15).toNanos();
            long detected = 0;
            while (detected == 0 && System.nanoTime() < deadline) {
                JsonObject seat = new Api(base).adminJson("api/rooms/" + room);
                for (JsonObject p : seat.getJsonArray("participants").getValuesAs(JsonObject.class)) {
                    if (p.getString("id").equals(silentId) && !p.getBoolean("connected")) {
                        detected = System.nanoTime();
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(detected > 0, "the half-open connection was not found within 15 s");
            long afterMs = Duration.ofNanos(detected - lastSignOfLife).toMillis();
            // Two ping intervals of silence (10 s), found by a heartbeat that looks every second.
            assertTrue(afterMs >= 9_500 && afterMs <= 11_500, "found after " + afterMs + " ms");
            JsonObject left = peer.expect("peer-left");
            assertEquals(silentId, left.getJsonObject("peer").getString("id"));
            assertEquals("disconnected", left.getString("reason"));
        }
    }

    @Test
    void liveFiguresAndRoomsAreForAdminsOnly() {
        Api api = new Api(base);
        assertEquals(401, api.get("api/status").statusCode());
        assertEquals(401, api.get("api/rooms").statusCode());
        assertEquals(401, api.get("api/status", "Authorization", "Bearer it-admin-tokeN").statusCode());
        JsonObject status = status();
        for (String figure : List.of("openConnections", "rooms", "participants", "resumeTokens")) {
            assertTrue(status.getInt(figure) >= 0, figure);
        }
    }

    @Test
    void theFuzzCorpusReplaysHarmlessly() throws Exception {
        Map<String, List<String>> corpus = FuzzCorpus.load();
        assertFalse(corpus.isEmpty(), "the corpus lives in " + FuzzCorpus.DIR.toAbsolutePath());
        for (var entry : corpus.entrySet()) {
            awaitOpenConnections(0);
            try (FuzzClient client = FuzzClient.connect(base)) {
                for (String frame : entry.getValue()) {
                    if (!client.send(frame)) {
                        break;
                    }
                }
                boolean alive = client.sync(Duration.ofSeconds(10));
                int code = client.closeCode();
                assertTrue(alive || code != -1, entry.getKey());
                assertEquals(List.of(), client.anomalies, entry.getKey());
            }
        }
    }

    /** The head (status line and headers) and the body of the answer to a raw HTTP request for /signal. */
    private String[] rawSignalRequest(String headers) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String path = base.getPath().endsWith("/") ? base.getPath() + "signal" : base.getPath() + "/signal";
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                head.append((char) in.readUnsignedByte());
            }
            var length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = new byte[length.find() ? Integer.parseInt(length.group(1)) : 0];
            in.readFully(body);
            return new String[] {head.toString(), new String(body, StandardCharsets.UTF_8)};
        }
    }

    @Test
    void aRequestThatIsNoWebSocketHandshakeGetsAClearRefusal() throws Exception {
        assumeTrue(!"container".equals(System.getProperty("parley.it.ws-transport")),
                "the container's WebSocket stack answers these itself");
        WsClient bystander = WsClient.joined(base, ParleyWar.room("handshakes"), "Bystander");
        try {
            String[] plain = rawSignalRequest("");
            assertTrue(plain[0].startsWith("HTTP/1.1 400"), plain[0]);
            assertTrue(plain[1].contains("\"code\":\"bad-handshake\""), plain[1]);

            String[] oldVersion = rawSignalRequest("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            assertTrue(oldVersion[0].startsWith("HTTP/1.1 426"), oldVersion[0]);
            assertTrue(oldVersion[0].contains("Sec-WebSocket-Version: 13"), oldVersion[0]);

            String[] badKey = rawSignalRequest("Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n");
            assertTrue(badKey[0].startsWith("HTTP/1.1 400"), badKey[0]);
            assertTrue(badKey[1].contains("Sec-WebSocket-Key"), badKey[1]);

            bystander.expectAlive();
        } finally {
            bystander.close();
        }
    }
}
