package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.WsClient;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Operations (issue 8): Prometheus metrics that follow a scripted call, the OpenAPI description listing every
 * endpoint of PROTOCOL.md §2 and Swagger UI, the admin status page in Chromium (kick), and a bad setting
 * stopping the deployment with the key's name. Readiness during a database outage is covered by FaultsIT.
 */
@ExtendWith(ArquillianExtension.class)
class OperationsIT {

    private static final String SDP = "v=0\r\n";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Deployment(testable = false)
    static WebArchive war() {
        return ParleyWar.build();
    }

    @ArquillianResource
    URL base;

    private Api api() {
        return new Api(base);
    }

    private Map<String, Double> metrics() {
        HttpResponse<String> response = api().adminGet("api/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        Map<String, Double> values = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    @Test
    void metricsNeedTheAdminTokenAndFollowAScriptedCall() {
        assertEquals(401, api().get("api/metrics").statusCode(), "metrics are not public by default");
        Map<String, Double> start = metrics();
        String room = ParleyWar.room("metrics");
        try (WsClient a = WsClient.joined(base, room, "Ada"); WsClient b = WsClient.joined(base, room, "Grace")) {
            a.expect("peer-joined");
            Map<String, Double> joined = metrics();
            assertTrue(delta(start, joined, "parley_connections_open") >= 2, "two more sockets open");
            assertTrue(delta(start, joined, "parley_participants") >= 2, "two more participants");
            assertTrue(delta(start, joined, "parley_rooms") >= 1, "one more room");

            a.send("offer", "sdp", SDP);
            b.expect("offer");
            assertEquals(1, delta(start, metrics(), "parley_calls{state=\"ringing\"}"), "the call rings");
            b.send("answer", "sdp", SDP);
            a.expect("answer");
            a.send(jakarta.json.Json.createObjectBuilder().add("type", "candidate").addNull("candidate").build());
            b.expect("candidate");
            Map<String, Double> active = metrics();
            assertEquals(1, delta(start, active, "parley_calls{state=\"active\"}"), "the call is active");
            assertEquals(0, delta(start, active, "parley_calls{state=\"ringing\"}"));

            a.send("hangup");
            b.expect("hangup");
            b.send("hangup");
            b.expectError("no-call", "hangup");
            Map<String, Double> ended = metrics();
            assertEquals(1, delta(start, ended, "parley_messages_relayed_total{type=\"offer\"}"));
            assertEquals(1, delta(start, ended, "parley_messages_relayed_total{type=\"answer\"}"));
            assertEquals(1, delta(start, ended, "parley_messages_relayed_total{type=\"hangup\"}"));
            assertEquals(1, delta(start, ended, "parley_messages_relayed_total{type=\"candidate\"}"));
            assertEquals(1, delta(start, ended, "parley_calls_ended_total{reason=\"hangup\"}"));
            assertEquals(0, delta(start, ended, "parley_calls{state=\"active\"}"));
            assertEquals(1, delta(start, ended, "parley_errors_total{code=\"no-call\"}"));
            double relayed = delta(start, ended, "parley_relay_latency_seconds_count");
            assertTrue(relayed >= 4, "offer, answer, candidate and hangup were timed: " + relayed);
            assertEquals(ended.get("parley_relay_latency_seconds_count"),
                    ended.get("parley_relay_latency_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(ended.containsKey("parley_history_backlog") && ended.containsKey("parley_history_lag_seconds"));
            assertTrue(ended.containsKey("parley_webhook_backlog"), "the webhook backlog is read from the database");
        }
    }

    @Test
    void openApiListsEveryRestEndpointAndSwaggerUiLoads() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(new URL(base, "/openapi").toURI())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String spec = response.body();
        for (String path : List.of("/api/ice-servers", "/api/rooms", "/api/rooms/{name}",
                "/api/rooms/{name}/participants/{id}", "/api/calls", "/api/calls/{id}", "/api/calls/{id}/quality",
                "/api/webhooks/dead-letters", "/api/webhooks/dead-letters/{id}/replay", "/api/reports/calls")) {
            assertTrue(spec.matches("(?s).*\\n\\s+['\"]?(/[^\\s:'\"]*)?" + java.util.regex.Pattern.quote(path)
                    + "['\"]?:\\s*\\n.*"), "/openapi lists " + path);
        }
        assertTrue(spec.contains("Parley REST API"), "the info comes from ParleyApi");
        assertTrue(spec.contains("bearer"), "the admin bearer scheme is described");
        assertTrue(spec.contains("Create a room"), "operations carry summaries");
        assertEquals(200, api().get("api-docs/").statusCode());
        assertEquals(200, api().get("webjars/swagger-ui/5.34.1/swagger-ui-bundle.js").statusCode());
    }

    @Test
    void statusPageListsLiveRoomsAndKicks() throws Exception {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        assertTrue(Browser.available(), "Chromium and ChromeDriver are required");
        String room = ParleyWar.room("status");
        try (WsClient a = WsClient.joined(base, room, "Ada <b>"); WsClient b = WsClient.joined(base, room, "Grace");
             Browser browser = new Browser()) {
            browser.open(base + "status.html");
            browser.type("#token", Api.ADMIN_TOKEN);
            browser.click("#load");
            String row = "tr[data-room='" + room + "']";
            browser.await(d -> d.findElements(By.cssSelector(row + " li")).size() == 2);
            assertEquals("Single instance: local", browser.text("#instances"));
            String names = browser.text(row + " .participants");
            assertTrue(names.contains("Ada <b>") && names.contains("Grace"), names);
            assertTrue(browser.find(row + " .participants").findElements(By.tagName("b")).isEmpty(), "names are text");
            assertEquals("Kick Grace from " + room,
                    browser.find(row + " li[data-participant='" + b.id + "'] button.kick").getAttribute("aria-label"));
            // The table is drawn anew every few seconds; a keyboard user's focus stays on the button it was on.
            browser.script("window.shownRow = document.querySelector(arguments[0]);"
                    + "window.shownRow.querySelector('button.close-room').focus()", row);
            browser.await(d -> Boolean.TRUE.equals(browser.script("return !document.contains(window.shownRow)")));
            assertEquals("Close room " + room, browser.script("return document.activeElement.getAttribute('aria-label')"));
            browser.resize(500, 800); // a phone held sideways: the actions stay
            assertTrue(browser.shows(row + " button.close-room"), "Close room shows on a narrow screen");
            assertTrue(browser.shows(row + " li[data-participant='" + b.id + "'] button.kick"));
            browser.resize(1280, 800);
            browser.click(row + " li[data-participant='" + b.id + "'] button.kick");
            assertEquals(4001, b.awaitClose(), "the kicked client is closed 4001");
            browser.await(d -> d.findElements(By.cssSelector(row + " li")).size() == 1);

            // A wrong token: rooms that cannot be vouched for, and their buttons, leave the screen.
            browser.type("#token", "wrong");
            browser.click("#load");
            browser.await(d -> browser.text("#status-message").contains("token is missing or wrong"));
            browser.await(d -> d.findElements(By.cssSelector("#rooms tbody tr")).isEmpty()); // drawn with the message
            browser.type("#token", Api.ADMIN_TOKEN);
            browser.click("#load");
            browser.await(d -> d.findElements(By.cssSelector(row + " li")).size() == 1);

            // Another admin closes the room while this page still shows it: the page's own Close is refused, and
            // the refusal stays in view after the refresh that follows it. Right after a refresh, the next is 5 s off.
            String shown = browser.text("#status-message");
            browser.await(d -> !browser.text("#status-message").equals(shown));
            assertEquals(204, api().admin("DELETE", "api/rooms/" + room).statusCode());
            browser.click(row + " button.close-room");
            assertEquals(4001, a.awaitClose(), "closing the room closes its last participant 4001");
            browser.await(d -> d.findElements(By.cssSelector(row)).isEmpty());
            browser.await(d -> browser.text("#status-message").startsWith("Refused: no such room"));
        }
    }

    @Test
    void aBadSettingStopsTheDeploymentNamingTheKey() throws Exception {
        try (PayaraServer server = PayaraServer.launch("bad-config", Map.of("parley.room.capacity", "abc"))) {
            assertTrue(server.awaitLog("Invalid setting parley.room.capacity", Duration.ofSeconds(150)),
                    "the log names the key; see target/it-servers/bad-config-*.log");
            URI ready = new URL(server.base(), "/health/ready").toURI();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status = -1;
            while (System.nanoTime() < deadline && status <= 0) {
                try {
                    status = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    Thread.sleep(500);
                }
            }
            assertNotEquals(200, status, "not ready with a bad setting");
            Thread.sleep(3000);
            assertNotEquals(200, HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "and it stays not ready");
        }
    }
}
