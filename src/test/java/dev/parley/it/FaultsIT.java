package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.Fuzzer;
import dev.parley.it.support.LocalPostgres;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.RawWebSocket;
import dev.parley.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults and load against Payara Micro child processes the test controls: slow consumers, fuzzed frames, many
 * connect/drop cycles, a graceful shutdown and the restart after it (with join tokens required), and, on
 * PostgreSQL only, a database outage in the middle of a call. The first server runs with generous rate limits
 * (the point here is what gets through them), an outbox of 64 frames and a resume grace of 1 s.
 *
 * <p>Opt-in: {@code -Dparley.torture=true} adds 200 concurrent call cycles and raises the connect/drop cycles to
 * 10,000 (see the README). {@code -Dparley.it.fuzz.seed} replays a fuzz run; {@code -Dparley.it.fuzz.frames} and
 * {@code -Dparley.it.ghost-cycles} set the counts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String JOIN_SECRET = "faults-it-join-secret-0123456789abcdef";
    private static final boolean TORTURE = Boolean.getBoolean("parley.torture");
    /** The outage test's history limit: more than its calls leave unwritten, few enough for newcomers to reach. */
    private static final int OUTAGE_MAX_BACKLOG = 30;

    private static Path dataDir;
    private static PayaraServer loadServer;
    private static PayaraServer tokenServer;

    private static synchronized Path dataDir() throws IOException {
        if (dataDir == null) {
            dataDir = Files.createTempDirectory("parley-faults");
        }
        return dataDir;
    }

    /** The first server: H2 under {@link #dataDir}, limits opened up so load reaches the code under test. */
    private static synchronized PayaraServer loadServer() throws Exception {
        if (loadServer == null) {
            loadServer = PayaraServer.start("faults", Map.of("parley.admin.token", Api.ADMIN_TOKEN,
                    "parley.data.dir", dataDir().toString(), "parley.ws.rate", "100000", "parley.ws.burst", "100000",
                    "parley.ws.max-connections-per-address", "5000", "parley.ws.outbox-limit", "64",
                    "parley.resume.grace", "PT1S", "parley.resume.failure-rate", "1000000"));
        }
        return loadServer;
    }

    /** The second server, on the same data: join tokens required. */
    private static synchronized PayaraServer tokenServer() throws Exception {
        if (tokenServer == null) {
            tokenServer = PayaraServer.start("faults-tokens", Map.of("parley.admin.token", Api.ADMIN_TOKEN,
                    "parley.data.dir", dataDir().toString(), "parley.join.secret", JOIN_SECRET));
        }
        return tokenServer;
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        if (loadServer != null) {
            loadServer.close();
        }
        if (tokenServer != null) {
            tokenServer.close();
        }
    }

    private static JsonObject status(URL base) {
        return new Api(base).adminJson("api/status");
    }

    private static void awaitNothingLive(URL base, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonObject status = status(base);
        while (!isEmpty(status)) {
            if (System.nanoTime() > deadline) {
                fail("still live after " + wait + ": " + status + "; rooms: " + new Api(base).adminGet("api/rooms").body());
            }
            Thread.sleep(200);
            status = status(base);
        }
    }

    private static boolean isEmpty(JsonObject status) {
        return status.getInt("openConnections") == 0 && status.getInt("rooms") == 0
                && status.getInt("participants") == 0 && status.getInt("resumeTokens") == 0;
    }

    /** A whole call between two fresh clients: offer, answer, candidates, hangup; returns the call id. */
    private static String normalCall(URL base, String room) {
        try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
            a.expect("peer-joined");
            String callId = a.callAndAnswer(b);
            a.send(Json.createObjectBuilder().add("type", "candidate").add("candidate", Json.createObjectBuilder()
                    .add("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host").add("sdpMid", "0")).build());
            assertEquals(callId, b.expect("candidate").getString("callId"));
            a.send("hangup");
            b.expect("hangup");
            return callId;
        }
    }

    // --- slow consumers ------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aReaderThatStopsReadingIsDroppedWithoutDelayingAnyoneElse() throws Exception {
        URL base = loadServer().base();
        String room = ParleyWar.room("slow");
        String bigSdp = "v=0\r\na=x-pad:" + "x".repeat(32 * 1024 - 20) + "\r\n";
        ExecutorService flood = Executors.newSingleThreadExecutor();
        try (WsClient sender = WsClient.joined(base, room, "Sender");
             RawWebSocket reader = RawWebSocket.connect(base, 4096);
             WsClient third = WsClient.joined(base, ParleyWar.room("elsewhere"), "Third")) {
            reader.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"name\":\"Reader\"}");
            RawWebSocket.Frame joined;
            do {
                joined = reader.read(Duration.ofSeconds(10));
                assertNotNull(joined, "no joined");
            } while (joined.opcode() != RawWebSocket.TEXT);
            String readerId = sender.expect("peer-joined").getJsonObject("peer").getString("id");
            // The reader stops reading here; its receive window is about 4 KiB.

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            Future<?> flooding = flood.submit(() -> {
                while (!stop.get() && sent.get() < 5_000) {
                    sender.send("offer", "sdp", bigSdp);
                    sent.incrementAndGet();
                }
            });
            long start = System.nanoTime();
            long slowestPong = 0;
            JsonObject left = null;
            while (left == null && System.nanoTime() - start < Duration.ofSeconds(30).toNanos()) {
                long t = System.nanoTime();
                third.expectAlive();
                slowestPong = Math.max(slowestPong, System.nanoTime() - t);
                for (JsonObject f = sender.next(Duration.ZERO); f != null; f = sender.next(Duration.ZERO)) {
                    if (f.getString("type").equals("peer-left")) {
                        left = f;
                    }
                }
                Thread.sleep(50);
            }
            stop.set(true);
            flooding.get(30, TimeUnit.SECONDS);
            assertNotNull(left, "the reader was not dropped; the sender sent " + sent.get() + " offers");
            assertEquals(readerId, left.getJsonObject("peer").getString("id"));
            assertEquals("disconnected", left.getString("reason"));
            assertTrue(slowestPong < Duration.ofSeconds(1).toNanos(),
                    "someone in another room waited " + slowestPong / 1_000_000 + " ms for a pong");
            sender.send("ping"); // the offers sent after the drop were answered unknown-peer
            for (JsonObject f = sender.next(WsClient.WAIT); !f.getString("type").equals("pong"); f = sender.next(WsClient.WAIT)) {
                assertEquals("unknown-peer", f.getString("code", f.getString("type")), f.toString());
            }
            System.out.printf("slow consumer: dropped after %d offers of 32 KiB in %d ms; slowest bystander pong %d ms%n",
                    sent.get(), Duration.ofNanos(System.nanoTime() - start).toMillis(), slowestPong / 1_000_000);
        } finally {
            flood.shutdownNow();
        }
    }

    // --- fuzzing -------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void fuzzedFramesLeaveTheServerHealthyAndANormalCallStillWorks() throws Exception {
        URL base = loadServer().base();
        long seed = Long.getLong("parley.it.fuzz.seed", 20261123L);
        int frames = Integer.getInteger("parley.it.fuzz.frames", 100_000);
        long start = System.nanoTime();

        List<String> findings = Fuzzer.run(base, seed, 4, frames);

        System.out.printf("fuzz: %d frames, seed %d, %d ms%n", frames, seed,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertEquals(List.of(), findings, "replay with -Dparley.it.fuzz.seed=" + seed + "; the frames are in the corpus");
        var ready = new Api(base).get("health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        String callId = normalCall(base, ParleyWar.room("after-fuzz"));
        assertEquals("hangup", new Api(base).adminJson("api/calls/" + callId).getString("endReason"));
    }

    // --- torture (opt-in) ----------------------------------------------------------------------------

    @Test
    @Order(3)
    void twoHundredConcurrentCallCyclesLeaveExactlyTwoHundredConsistentRows() throws Exception {
        assumeTrue(TORTURE, "opt-in: run with -Dparley.torture=true");
        URL base = loadServer().base();
        int cycles = 200;
        String prefix = ParleyWar.room("torture");
        ExecutorService pool = Executors.newFixedThreadPool(cycles);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String[]>> results = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            String room = prefix + "-" + i;
            results.add(pool.submit(() -> {
                try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
                    a.expect("peer-joined");
                    go.await();
                    String callId = a.callAndAnswer(b);
                    b.sendRaw("{\"type\":\"candidate\",\"candidate\":null}");
                    a.expect("candidate");
                    (callId.hashCode() % 2 == 0 ? a : b).send("hangup");
                    (callId.hashCode() % 2 == 0 ? b : a).expect("hangup");
                    return new String[] {room, callId, a.id, b.id};
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        List<String[]> calls = new ArrayList<>();
        for (Future<String[]> result : results) {
            calls.add(result.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        System.out.printf("torture: %d concurrent call cycles in %d ms%n", cycles,
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        Api api = new Api(base);
        int rows = 0;
        for (String[] c : calls) {
            JsonObject page = api.adminJson("api/calls?room=" + c[0]);
            assertEquals(1, page.getInt("total"), c[0]);
            JsonObject row = page.getJsonArray("items").getJsonObject(0);
            assertEquals(c[1], row.getString("id"));
            assertEquals("ended", row.getString("status"));
            assertEquals("hangup", row.getString("endReason"));
            assertEquals(c[2], row.getJsonObject("caller").getString("id"));
            assertEquals(c[3], row.getJsonObject("callee").getString("id"));
            Instant started = OffsetDateTime.parse(row.getString("startedAt")).toInstant();
            Instant answered = OffsetDateTime.parse(row.getString("answeredAt")).toInstant();
            Instant ended = OffsetDateTime.parse(row.getString("endedAt")).toInstant();
            assertFalse(answered.isBefore(started) || ended.isBefore(answered), row.toString());
            assertEquals(Duration.between(started, answered).toMillis(), row.getJsonNumber("setupMs").longValue());
            assertEquals(Duration.between(answered, ended).getSeconds(), row.getInt("durationS"));
            rows++;
        }
        assertEquals(cycles, rows);
    }

    // --- ghosts --------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void manyConnectDropCyclesLeaveNoGhosts() throws Exception {
        URL base = loadServer().base();
        int cycles = Integer.getInteger("parley.it.ghost-cycles", TORTURE ? 10_000 : 2_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            int cycle = i;
            pool.execute(() -> {
                try {
                    cycle(base, cycle);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));
        assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())));
        long cyclesMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        JsonObject rightAfter = status(base);

        // Every seat outlives its socket by the resume grace (1 s here); after that nothing may remain.
        awaitNothingLive(base, Duration.ofSeconds(30));
        assertEquals("[]", new Api(base).adminGet("api/rooms").body());
        System.out.printf("ghosts: %d connect/drop cycles in %d ms; right after %s; nothing live %d ms later%n",
                cycles, cyclesMs, rightAfter, Duration.ofNanos(System.nanoTime() - start).toMillis() - cyclesMs);
    }

    /** One cycle, in one of four shapes: drop before joining, drop after, leave then close, drop mid-call. */
    private static void cycle(URL base, int i) {
        String room = "ghost-" + i;
        switch (i % 4) {
            case 0 -> WsClient.connect(base).drop();
            case 1 -> WsClient.joined(base, room, "G").drop();
            case 2 -> {
                WsClient c = WsClient.joined(base, room, "G");
                c.send("leave");
                c.close();
            }
            default -> {
                WsClient a = WsClient.joined(base, room, "A");
                WsClient b = WsClient.joined(base, room, "B");
                a.expect("peer-joined");
                a.send("offer", "sdp", SDP);
                b.expect("offer");
                a.drop();
                b.close();
            }
        }
    }

    // --- graceful shutdown, then join tokens on the restarted server ---------------------------------

    @Test
    @Order(5)
    void aGracefulShutdownClosesClients1001AndEndsCallsServerShutdown() throws Exception {
        PayaraServer server = loadServer();
        URL base = server.base();
        String room = ParleyWar.room("shutdown");
        String callId;
        try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", SDP);
            callId = b.expect("offer").getString("callId");
            b.send("answer", "sdp", SDP);
            a.expect("answer");
            assertEquals("active", new Api(base).adminJson("api/calls/" + callId).getString("status"));

            synchronized (FaultsIT.class) {
                loadServer = null;
            }
            server.close(); // SIGTERM, as a service manager stops it
            for (WsClient side : List.of(a, b)) {
                assertEquals("server-shutdown", side.expect("call-ended").getString("reason"));
                assertEquals("server-shutdown", side.expect("peer-left").getString("reason"));
                assertEquals(1001, side.awaitClose());
            }
        }
        JsonObject call = new Api(tokenServer().base()).adminJson("api/calls/" + callId);
        assertEquals("ended", call.getString("status"));
        assertEquals("server-shutdown", call.getString("endReason"), "ended at shutdown, not found open at restart");
    }

    @Test
    @Order(6)
    void withAJoinSecretOnlyValidTokensLetClientsIn() throws Exception {
        URL base = tokenServer().base();
        String room = ParleyWar.room("tokens");
        Instant in1Minute = Instant.now().plusSeconds(60);
        try (WsClient c = WsClient.connect(base)) {
            c.send("join", "room", room, "name", "No token");
            c.expectError("unauthorized", "join");
            c.send("join", "room", "another-room", "token", token(JWSAlgorithm.HS256, JOIN_SECRET, room, "Ada", in1Minute));
            c.expectError("unauthorized", "join");
            c.send("join", "token", token(JWSAlgorithm.HS256, JOIN_SECRET, room, "Ada", Instant.now().minusSeconds(5)));
            c.expectError("unauthorized", "join");
            String valid = token(JWSAlgorithm.HS256, JOIN_SECRET, room, "Ada", in1Minute);
            String[] parts = valid.split("\\.");
            String otherRoom = base64(new JWTClaimsSet.Builder().claim("room", "other").claim("name", "Ada")
                    .expirationTime(Date.from(in1Minute)).build().toString());
            c.send("join", "token", parts[0] + "." + otherRoom + "." + parts[2]);
            c.expectError("unauthorized", "join");
            c.send("join", "token", new PlainJWT(new JWTClaimsSet.Builder().claim("room", room).claim("name", "Ada")
                    .expirationTime(Date.from(in1Minute)).build()).serialize());
            c.expectError("unauthorized", "join");
            c.send("join", "token", token(JWSAlgorithm.HS256, "a-different-secret-of-32-bytes-or-more", room, "Ada", in1Minute));
            c.expectError("unauthorized", "join");
            c.expectAlive();

            c.send("join", "room", room.toUpperCase(), "name", "Mallory", "token", valid);
            JsonObject joined = c.expectJoined();
            assertEquals(room, joined.getString("room"));
            assertEquals("Ada", joined.getJsonObject("self").getString("name"), "the name comes from the token");
            // ICE servers (TURN credentials) only for the server's own users, not for anyone wanting a relay.
            Api api = new Api(base);
            assertEquals(401, api.get("api/ice-servers").statusCode());
            assertEquals("unauthorized", Api.object(api.get("api/ice-servers").body()).getString("code"));
            assertEquals(401, api.get("api/ice-servers", "Authorization", "Bearer forged").statusCode());
            assertEquals(200, api.get("api/ice-servers", "Authorization", "Bearer " + c.resumeToken).statusCode());
            assertEquals(200, api.get("api/ice-servers", "Authorization", "Bearer " + valid).statusCode());
            try (WsClient bob = WsClient.connect(base)) {
                bob.send("join", "token", token(JWSAlgorithm.HS256, JOIN_SECRET, room, "Bob", in1Minute));
                assertEquals("Ada", bob.expectJoined().getJsonArray("peers").getJsonObject(0).getString("name"));
                c.expect("peer-joined");
                c.send("offer", "sdp", SDP);
                assertEquals(c.id, bob.expect("offer").getString("from"));
                bob.send("leave");
                c.skipTo("peer-left");
                assertEquals(401, api.get("api/ice-servers", "Authorization", "Bearer " + bob.resumeToken).statusCode(),
                        "not for a participant who left");
            }
        }
    }

    /**
     * The application that requires tokens links its users to the call page with one in the address's fragment: the
     * page joins with it, and takes it out of the address bar so that a copied link does not pass it on; a reload
     * joins again with it.
     */
    @Test
    @Order(6)
    void theCallPageJoinsWithTheTokenItsLinkCarries() throws Exception {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        URL base = tokenServer().base();
        String room = ParleyWar.room("token-page");
        String token = token(JWSAlgorithm.HS256, JOIN_SECRET, room, "Ada", Instant.now().plusSeconds(60));
        try (Browser page = new Browser()) {
            page.open(base + "?test&room=" + room + "#token=" + token);
            assertEquals(base + "?test&room=" + room, page.script("return location.href"));
            page.type("#name", "Mallory");
            page.click("#join");
            page.await(d -> room.equals(page.text("#room-name")));
            assertEquals("Ada", ((Map<?, ?>) page.state().get("self")).get("name"), "the name the token gives");

            page.open(base + "?test&room=" + room); // a reload: it leaves, and joins again with the tab's token
            page.click("#join");
            page.await(d -> room.equals(page.text("#room-name")));
        }
    }

    private static String token(JWSAlgorithm alg, String secret, String room, String name, Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), new JWTClaimsSet.Builder().claim("room", room)
                .claim("name", name).expirationTime(Date.from(expiry)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String base64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    // --- database outage (PostgreSQL only) -----------------------------------------------------------

    @Test
    @Order(7)
    @Tag("database")
    void signalingOutlivesADatabaseOutageAndHistoryCatchesUp() throws Exception {
        assumeTrue("postgres".equals(System.getProperty("parley.it.db")),
                "stops the local PostgreSQL for 30 s: runs only in the it-postgres execution");
        Map<String, String> settings = new HashMap<>(Map.of("parley.admin.token", Api.ADMIN_TOKEN,
                "parley.db.url", System.getProperty("parley.it.pg.url"), "parley.db.user", "postgres",
                "parley.history.max-backlog", String.valueOf(OUTAGE_MAX_BACKLOG)));
        List<WsClient> newcomers = new ArrayList<>();
        try (PayaraServer server = PayaraServer.start("outage", settings)) {
            URL base = server.base();
            Api api = new Api(base);
            String room = ParleyWar.room("outage");
            List<String> calls = new ArrayList<>();
            try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
                a.expect("peer-joined");
                a.send("offer", "sdp", SDP);
                calls.add(b.expect("offer").getString("callId"));
                b.send("answer", "sdp", SDP);
                a.expect("answer");
                assertEquals("active", api.adminJson("api/calls/" + calls.get(0)).getString("status"));

                long stopped = System.nanoTime();
                try {
                    LocalPostgres.stop();
                    // Mid-call, the database gone: the call goes on and ends, another starts and ends, a new room opens.
                    b.sendRaw("{\"type\":\"candidate\",\"candidate\":null}");
                    a.expect("candidate");
                    b.send("hangup");
                    a.expect("hangup");
                    a.send("offer", "sdp", SDP);
                    calls.add(b.expect("offer").getString("callId"));
                    b.send("answer", "sdp", SDP);
                    a.expect("answer");
                    calls.add(normalCall(base, ParleyWar.room("during-outage")));
                    var ready = api.get("health/ready");
                    assertEquals(503, ready.statusCode(), "readiness is DOWN while the database is away: " + ready.body());
                    JsonObject data = Api.object(ready.body()).getJsonArray("checks").getJsonObject(0).getJsonObject("data");
                    assertEquals("false", data.get("database").toString().replace("\"", ""), ready.body());
                    // New rooms and participants are turned away once the backlog reaches its limit; those in stay.
                    String refusal = null;
                    for (int i = 0; refusal == null && i <= OUTAGE_MAX_BACKLOG; i++) {
                        WsClient newcomer = WsClient.connect(base);
                        newcomers.add(newcomer);
                        newcomer.send("join", "room", ParleyWar.room("newcomer-" + i));
                        JsonObject reply = newcomer.next(WsClient.WAIT);
                        assertNotNull(reply, "no answer to a join");
                        refusal = "error".equals(reply.getString("type")) ? reply.getString("code") : null;
                    }
                    assertEquals("unavailable", refusal, "a join refused once " + OUTAGE_MAX_BACKLOG + " events wait");
                    var created = api.post("api/rooms", "");
                    assertEquals(503, created.statusCode(), created.body());
                    assertEquals("unavailable", Api.object(created.body()).getString("code"));
                    assertTrue(created.headers().firstValue("Retry-After").isPresent());
                    while (System.nanoTime() - stopped < Duration.ofSeconds(30).toNanos()) {
                        long t = System.nanoTime();
                        a.sendRaw("{\"type\":\"candidate\",\"candidate\":null}");
                        b.expect("candidate");
                        assertTrue(System.nanoTime() - t < Duration.ofSeconds(1).toNanos(), "relay waited on the database");
                        Thread.sleep(1_000);
                    }
                    a.send("hangup");
                    b.expect("hangup");
                } finally {
                    LocalPostgres.start();
                }
            }
            // Nothing was lost: every call's history is written once the database is back.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (String callId : calls) {
                JsonObject call = null;
                while (call == null || !"ended".equals(call.getString("status"))) {
                    if (System.nanoTime() > deadline) {
                        fail("call " + callId + " was not written after the outage: " + call);
                    }
                    var response = api.adminGet("api/calls/" + callId);
                    call = response.statusCode() == 200 ? Api.object(response.body()) : null;
                    Thread.sleep(500);
                }
                assertEquals("hangup", call.getString("endReason"), call.toString());
            }
            assertEquals(200, api.get("health/ready").statusCode());
            try (WsClient late = WsClient.joined(base, ParleyWar.room("after-outage"), "Late")) {
                late.expectAlive(); // joined: newcomers are let in again once history caught up
            }
        } finally {
            newcomers.forEach(WsClient::close);
        }
    }
}
