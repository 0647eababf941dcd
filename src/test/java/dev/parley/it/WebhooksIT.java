package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Api;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.WebhookReceiver;
import dev.parley.it.support.WsClient;
import dev.parley.webhooks.WebhookSender;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Webhooks lose nothing: events are signed, retried until the receiver accepts them (also across a Parley
 * restart while the receiver is down), arrive once per event id after deduplication, are ordered by a per-room
 * sequence number, and end up as replayable dead letters when they keep failing past the max age.
 */
class WebhooksIT {

    private static final String SECRET = "it-webhook-secret";
    private static final List<String> CALL_STORY = List.of("room.created", "participant.joined",
            "participant.joined", "call.started", "call.answered", "call.ended", "participant.left",
            "participant.left", "room.closed");

    private static Map<String, String> settings(String urls, String maxAge) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("parley.admin.token", Api.ADMIN_TOKEN);
        s.put("parley.data.dir", Files.createTempDirectory("parley-webhooks").toString());
        s.put("parley.webhook.urls", urls);
        s.put("parley.webhook.secret", SECRET);
        s.put("parley.webhook.max-age", maxAge);
        return s;
    }

    /** A whole call in one room: nine events. */
    private static void call(URL base, String room) {
        try (WsClient a = WsClient.joined(base, room, "A"); WsClient b = WsClient.joined(base, room, "B")) {
            a.expect("peer-joined");
            a.callAndAnswer(b);
            a.send("hangup");
            b.expect("hangup");
            a.send("leave");
            b.expect("peer-left");
            b.send("leave");
        }
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static List<JsonObject> eventsOf(WebhookReceiver receiver, String room) {
        return receiver.unique.values().stream().map(d -> Api.object(d.body()))
                .filter(e -> e.getString("room").equals(room))
                .sorted(Comparator.comparingLong(e -> e.getJsonNumber("seq").longValue())).toList();
    }

    private static void assertWholeStory(WebhookReceiver receiver, String room) {
        List<JsonObject> events = eventsOf(receiver, room);
        assertEquals(CALL_STORY, events.stream().map(e -> e.getString("type")).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).getInt("seq"), "per-room sequence numbers have no gaps");
        }
        JsonObject ended = events.get(5).getJsonObject("call");
        assertEquals("hangup", ended.getString("endReason"));
        for (WebhookReceiver.Delivery d : receiver.unique.values()) {
            assertEquals("sha256=" + WebhookSender.signature(SECRET, d.body()), d.signature());
            assertEquals(Api.object(d.body()).getString("id"), d.eventId(), "the header carries the event id");
        }
    }

    @Test
    void eventsAreSignedRetriedUntilAcceptedAndDeadLettersCanBeReplayed() throws Exception {
        try (WebhookReceiver flaky = WebhookReceiver.onFreePort(); WebhookReceiver broken = WebhookReceiver.onFreePort()) {
            flaky.failNext(2);
            broken.failAll(true);
            try (PayaraServer server = PayaraServer.start("webhooks", settings(flaky.url() + "," + broken.url(), "PT4S"))) {
                String room = ParleyWar.room("hooks");
                call(server.base(), room);
                await("all nine events at the flaky receiver", Duration.ofSeconds(30),
                        () -> eventsOf(flaky, room).size() == 9);
                assertTrue(flaky.refused.get() >= 2, "the first deliveries were refused and retried");
                assertWholeStory(flaky, room);

                Api api = new Api(server.base());
                await("dead letters for the broken receiver", Duration.ofSeconds(30),
                        () -> Api.array(api.adminGet("api/webhooks/dead-letters").body()).size() == 9);
                JsonArray dead = Api.array(api.adminGet("api/webhooks/dead-letters").body());
                JsonObject first = dead.getJsonObject(0);
                assertEquals(broken.url(), first.getString("url"));
                assertTrue(first.getInt("attempts") >= 2);
                assertEquals("HTTP 500", first.getString("lastError"));

                // A page at a time, with the total in a header.
                var page = api.adminGet("api/webhooks/dead-letters?size=4&page=2");
                assertEquals(1, Api.array(page.body()).size(), page.body());
                assertEquals("9", page.headers().firstValue("X-Total-Count").orElse(""));
                assertEquals(dead.getJsonObject(8), Api.array(page.body()).getJsonObject(0), "oldest first, pages in order");
                HttpResponseCheck.status(400, api.adminGet("api/webhooks/dead-letters?size=1001"));

                broken.failAll(false);
                // One by its id, then the rest at once: what an admin does after a receiver's long outage.
                HttpResponseCheck.status(204, api.admin("POST", "api/webhooks/dead-letters/" + first.getString("id") + "/replay"));
                assertEquals(0, Api.object(api.admin("POST", "api/webhooks/dead-letters/replay?url="
                        + URLEncoder.encode(flaky.url(), StandardCharsets.UTF_8)).body()).getInt("replayed"),
                        "the other receiver has none");
                var all = api.admin("POST", "api/webhooks/dead-letters/replay");
                assertEquals(200, all.statusCode(), all.body());
                assertEquals(8, Api.object(all.body()).getInt("replayed"));
                await("replayed events at the mended receiver", Duration.ofSeconds(30),
                        () -> eventsOf(broken, room).size() == 9);
                assertWholeStory(broken, room);
                assertEquals(0, Api.array(api.adminGet("api/webhooks/dead-letters").body()).size());
                HttpResponseCheck.status(404, api.admin("POST", "api/webhooks/dead-letters/nope/replay"));
            }
        }
    }

    @Test
    void eventsQueuedWhileTheReceiverIsDownSurviveAParleyRestart() throws Exception {
        WebhookReceiver receiver = WebhookReceiver.onFreePort();
        int port = receiver.port();
        receiver.stop(); // down: connections refused
        Map<String, String> settings = settings(receiver.url(), "P1D");
        String room = ParleyWar.room("outage");
        try (PayaraServer first = PayaraServer.start("webhooks-a", settings)) {
            call(first.base(), room);
            Thread.sleep(1500); // a delivery attempt or two fail meanwhile
            first.kill();
        }
        try (WebhookReceiver back = new WebhookReceiver(port);
             PayaraServer second = PayaraServer.start("webhooks-b", settings)) {
            await("the events from before the restart", Duration.ofSeconds(60), () -> eventsOf(back, room).size() == 9);
            assertWholeStory(back, room);
            assertEquals(back.unique.size(), back.received.size(), "each event was accepted once");
        }
    }

    /**
     * A {@code kill -9} in the middle of a call: the restarted instance ends what the crash left open, and the
     * receiver hears the rest of the story as it would have live: the call ended, both seats left, the room closed.
     */
    @Test
    void whatACrashLeftOpenIsEndedOnTheRestartAndAnnounced() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.onFreePort()) {
            Map<String, String> settings = settings(receiver.url(), "P1D");
            String room = ParleyWar.room("crash");
            try (PayaraServer first = PayaraServer.start("webhooks-crash-a", settings);
                 WsClient a = WsClient.joined(first.base(), room, "A"); WsClient b = WsClient.joined(first.base(), room, "B")) {
                a.expect("peer-joined");
                a.callAndAnswer(b);
                await("the call's first five events", Duration.ofSeconds(30), () -> eventsOf(receiver, room).size() == 5);
                first.kill();
            }
            try (PayaraServer second = PayaraServer.start("webhooks-crash-b", settings)) {
                await("the events of the restart", Duration.ofSeconds(60), () -> eventsOf(receiver, room).size() == 9);
                List<JsonObject> events = eventsOf(receiver, room);
                assertEquals(CALL_STORY, events.stream().map(e -> e.getString("type")).toList());
                for (int i = 0; i < events.size(); i++) {
                    assertEquals(i + 1, events.get(i).getInt("seq"), "the room's sequence goes on across the crash");
                }
                assertEquals("server-restart", events.get(5).getJsonObject("call").getString("endReason"));
                assertEquals("server-restart", events.get(6).getString("reason"));
                assertEquals("server-restart", events.get(7).getString("reason"));
            }
        }
    }

    /** Small assertion helper for status codes with the body in the message. */
    private static final class HttpResponseCheck {
        static void status(int expected, java.net.http.HttpResponse<String> response) {
            assertEquals(expected, response.statusCode(), response.body());
        }
    }
}
