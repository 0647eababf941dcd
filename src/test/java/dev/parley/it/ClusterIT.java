package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Payara Micro instances on Payara's data grid (tcpip discovery on loopback) sharing one PostgreSQL schema,
 * driven by black-box WebSocket clients connected to different instances: calls, capacity, passwords, resume and
 * kicks hold across them, and when one instance dies the other reports its participants {@code disconnected}
 * and closes what it left open.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String PG = System.getProperty("parley.it.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    /** A schema of this run's own: two runs on one machine must not drop each other's. */
    private static final String SCHEMA = "parley_cluster_" + Long.toHexString(System.nanoTime());
    private static final String SDP = "v=0\r\n";
    private static PayaraServer a;
    private static PayaraServer b;

    @BeforeAll
    static void startCluster() throws Exception {
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        List<Integer> grid = List.of(PayaraServer.freePort(), PayaraServer.freePort());
        CompletableFuture<PayaraServer> first = CompletableFuture.supplyAsync(() -> start("cluster-a", "a", grid.get(0), grid));
        CompletableFuture<PayaraServer> second = CompletableFuture.supplyAsync(() -> start("cluster-b", "b", grid.get(1), grid));
        // Keep whichever started even if the other did not, so that stopCluster stops it.
        a = first.exceptionally(e -> null).join();
        b = second.exceptionally(e -> null).join();
        first.join();
        second.join();
        awaitMembers(a, 2);
        awaitMembers(b, 2);
    }

    private static PayaraServer start(String name, String id, int gridPort, List<Integer> grid) {
        try {
            return PayaraServer.startClustered(name, Map.ofEntries(
                    Map.entry("parley.admin.token", Api.ADMIN_TOKEN),
                    Map.entry("parley.instance.id", id),
                    Map.entry("parley.db.url", PG + "?currentSchema=" + SCHEMA),
                    Map.entry("parley.db.user", "postgres"),
                    Map.entry("parley.resume.grace", "PT3S"),
                    Map.entry("parley.rooms.create-rate", "100"),
                    // Find a dead member in seconds (Hazelcast waits a minute by default).
                    Map.entry("hazelcast.heartbeat.interval.seconds", "1"),
                    Map.entry("hazelcast.max.no.heartbeat.seconds", "4")), gridPort, grid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (PayaraServer server : new PayaraServer[] {a, b}) {
            if (server != null) {
                server.close();
            }
        }
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    @Order(1)
    void participantsOnDifferentInstancesCompleteACallThatIsRecorded() throws Exception {
        String room = ParleyWar.room("across");
        try (WsClient alice = WsClient.joined(a.base(), room, "Alice"); WsClient bob = WsClient.connect(b.base())) {
            bob.send("join", "room", room, "name", "Bob");
            JsonObject joined = bob.expectJoined();
            assertEquals(alice.id, joined.getJsonArray("peers").getJsonObject(0).getString("id"), joined.toString());
            assertEquals(bob.id, alice.expect("peer-joined").getJsonObject("peer").getString("id"));

            alice.send("offer", "sdp", SDP);
            JsonObject offer = bob.expect("offer");
            assertEquals(alice.id, offer.getString("from"));
            String callId = offer.getString("callId");
            bob.send("answer", "sdp", SDP);
            assertEquals(callId, alice.expect("answer").getString("callId"));
            bob.send(Json.createObjectBuilder().add("type", "candidate").add("candidate", Json.createObjectBuilder()
                    .add("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host").add("sdpMid", "0")).build());
            assertEquals(bob.id, alice.expect("candidate").getString("from"));
            alice.send("hangup");
            bob.expect("hangup");

            // Both instances write to the same database; either answers for the call, once the writer of a (which
            // holds the room) has written it: b only waits for its own writer.
            JsonObject call = callOnceEnded(new Api(b.base()), callId);
            assertEquals("ended", call.getString("status"));
            assertEquals("hangup", call.getString("endReason"));
            assertEquals("Bob", call.getJsonObject("callee").getString("name"));
        }
    }

    @Test
    @Order(2)
    void capacityAndPasswordHoldAcrossInstances() throws Exception {
        String room = ParleyWar.room("guarded");
        var created = new Api(b.base()).post("api/rooms", "{\"name\":\"" + room + "\",\"capacity\":2,\"password\":\"s3cret\"}");
        assertEquals(201, created.statusCode(), created.body());
        try (WsClient first = WsClient.connect(a.base()); WsClient second = WsClient.connect(a.base());
             WsClient third = WsClient.connect(b.base())) {
            first.send("join", "room", room, "name", "First", "password", "wrong");
            first.expectError("wrong-password", "join");
            first.send("join", "room", room, "name", "First", "password", "s3cret");
            first.expectJoined();
            third.send("join", "room", room, "name", "Third", "password", "s3cret");
            third.expectJoined();
            second.send("join", "room", room, "name", "Second", "password", "s3cret");
            second.expectError("room-full", "join");
            second.expectAlive();
        }
    }

    @Test
    @Order(3)
    void aParticipantResumesOnTheOtherInstanceAndItsPeerSeesNoDeparture() throws Exception {
        String room = ParleyWar.room("resume");
        try (WsClient alice = WsClient.joined(a.base(), room, "Alice"); WsClient bob = WsClient.joined(a.base(), room, "Bob")) {
            alice.expect("peer-joined");
            String callId = alice.callAndAnswer(bob);
            bob.drop();
            try (WsClient back = WsClient.connect(b.base())) {
                back.send("join", "resume", bob.resumeToken);
                JsonObject joined = back.expectJoined();
                assertEquals(bob.id, back.id, "the same participant");
                assertEquals(alice.id, joined.getJsonArray("peers").getJsonObject(0).getString("id"));
                alice.expectSilence(Duration.ofSeconds(4)); // past the grace: no peer-left
                back.send("hangup");
                JsonObject hangup = alice.expect("hangup");
                assertEquals(callId, hangup.getString("callId"), "the call survived the move");
            }
        }
    }

    @Test
    @Order(4)
    void anAdminOnEitherInstanceListsAndKicks() throws Exception {
        String room = ParleyWar.room("kick");
        try (WsClient alice = WsClient.joined(a.base(), room, "Alice"); WsClient bob = WsClient.joined(b.base(), room, "Bob")) {
            alice.expect("peer-joined");
            Api api = new Api(b.base());
            JsonArray rooms = Api.array(api.adminGet("api/rooms").body());
            assertTrue(rooms.stream().anyMatch(r -> r.asJsonObject().getString("name").equals(room)), rooms.toString());
            assertEquals(2, api.adminJson("api/rooms/" + room).getJsonArray("participants").size());
            assertEquals(204, api.admin("DELETE", "api/rooms/" + room + "/participants/" + alice.id).statusCode());
            assertEquals(4001, alice.awaitClose());
            assertEquals("kicked", bob.expect("peer-left").getString("reason"));
        }
    }

    @Test
    @Order(5)
    void twoBrowsersOnDifferentInstancesCallEachOtherWithMediaFlowing() throws Exception {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        assertTrue(Browser.available(), "Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
        String room = ParleyWar.room("browsers");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            join(alice, a, "Alice", room);
            join(bob, b, "Bob", room);
            alice.click("#call");
            bob.await(d -> bob.find("#incoming").isDisplayed());
            bob.click("#accept");
            for (Browser side : new Browser[] {alice, bob}) {
                side.awaitMediaFlowing();
            }
            alice.click("#hangup");

            // The admin status page lists the cluster's instances.
            bob.open(b.base() + "status.html");
            bob.type("#token", Api.ADMIN_TOKEN);
            bob.click("#load");
            bob.await(d -> bob.text("#instances").startsWith("Cluster of 2 instances") ? true : null);
            assertTrue(bob.text("#instances").contains("a, b") || bob.text("#instances").contains("b, a"),
                    bob.text("#instances"));
        }
        JsonObject call = new Api(b.base()).adminJson("api/calls?room=" + room).getJsonArray("items").getJsonObject(0);
        assertEquals("Alice", call.getJsonObject("caller").getString("name"));
        assertEquals("Bob", call.getJsonObject("callee").getString("name"));
        assertTrue(call.getJsonNumber("setupMs").longValue() >= 0, call.toString());
    }

    private static void join(Browser browser, PayaraServer server, String name, String room) {
        browser.open(server.base().toString());
        browser.joinRoom(name, room);
    }

    @Test
    @Order(6)
    void whenAnInstanceDiesTheOtherReportsItsParticipantsAndClosesItsCalls() throws Exception {
        String heldByA = ParleyWar.room("held-by-a");
        String heldByB = ParleyWar.room("held-by-b");
        WsClient alice = WsClient.joined(a.base(), heldByA, "Alice");
        WsClient bob = WsClient.joined(b.base(), heldByA, "Bob");
        alice.expect("peer-joined");
        String callOnA = alice.callAndAnswer(bob);
        WsClient carol = WsClient.joined(b.base(), heldByB, "Carol");
        WsClient dave = WsClient.joined(a.base(), heldByB, "Dave");
        carol.expect("peer-joined");
        String callOnB = carol.callAndAnswer(dave);

        // A read on b waits for b's history writer: what the kill cuts is committed, as in RestartIT.
        assertEquals("active", new Api(b.base()).adminJson("api/calls/" + callOnB).getString("status"));
        long killed = System.nanoTime();
        b.kill();
        // Bob's socket was on b: a, which holds his room, reports him gone (after the resume grace).
        JsonObject ended = alice.expect("call-ended");
        assertEquals(callOnA, ended.getString("callId"));
        assertEquals("disconnected", ended.getString("reason"));
        JsonObject left = alice.expect("peer-left");
        assertEquals(bob.id, left.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", left.getString("reason"));
        // Dave's room was held by b: his socket on a hears that Carol is gone, then is closed so his client joins again.
        JsonObject carolLeft = dave.expect("peer-left");
        assertEquals(carol.id, carolLeft.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", carolLeft.getString("reason"));
        assertEquals(1012, dave.awaitClose());
        long seconds = Duration.ofNanos(System.nanoTime() - killed).toSeconds();
        assertTrue(seconds < 10, "reported after " + seconds + " s");

        Api api = new Api(a.base());
        assertEquals("disconnected", api.adminJson("api/calls/" + callOnA).getString("endReason"));
        JsonObject onB = callOnceEnded(api, callOnB);
        assertEquals("ended", onB.getString("status"), "the survivor closes what the dead instance left open");
        assertEquals("disconnected", onB.getString("endReason"));

        // The room names b held are free again: a opens them afresh.
        try (WsClient again = WsClient.joined(a.base(), heldByB, "Dave again")) {
            assertEquals(0, again.next(Duration.ZERO) == null ? 0 : 1);
        }
        alice.close();
        carol.drop();
        dave.close();
    }

    private static void awaitMembers(PayaraServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            var status = new Api(server.base()).adminGet("api/status");
            if (status.statusCode() == 200) {
                JsonObject body = Api.object(status.body());
                seen = body.containsKey("instances") ? body.getJsonArray("instances").size() : 0;
                if (seen == count) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the cluster formed with " + seen + " instances, not " + count);
    }

    /**
     * The call as {@code api} reads it once it has ended, or as it stands after 10 s: another instance may be the one
     * writing it (until then it may not be there at all).
     */
    private static JsonObject callOnceEnded(Api api, String callId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.adminGet("api/calls/" + callId);
            if (response.statusCode() == 200 && Api.object(response.body()).getString("status").equals("ended")) {
                break;
            }
            Thread.sleep(100);
        }
        return api.adminJson("api/calls/" + callId);
    }
}
