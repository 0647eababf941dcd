package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Api;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The REST API (PROTOCOL.md §2) against the real WAR: rooms, admin access, call history with filters, paging
 * and CSV, quality reports, the calls report, and ICE servers. Calls are made with real WebSocket clients.
 * The same tests run on Payara Micro ({@link RestIT}) and on WildFly ({@link WildFlyIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class RestContract {

    private static final String SDP = "v=0\r\n";
    /** Valid JSON, but past parley.api.max-body-bytes (16 KiB by default). */
    private static final byte[] LARGE_BODY = ("{}" + " ".repeat(20_000)).getBytes(StandardCharsets.UTF_8);

    /** Where the WAR under test is served ({@code http://host:port/}). */
    protected abstract URL base();

    private Api api() {
        return new Api(base());
    }

    @Test
    void iceServersCarryCoturnStyleTurnCredentials() throws Exception {
        HttpResponse<String> response = api().get("api/ice-servers");
        assertEquals(200, response.statusCode());
        JsonObject body = Api.object(response.body());
        assertEquals(86400, body.getInt("ttl"));
        JsonArray servers = body.getJsonArray("iceServers");
        assertEquals("stun:127.0.0.1:3478", servers.getJsonObject(0).getJsonArray("urls").getString(0));
        JsonObject turn = servers.getJsonObject(1);
        assertEquals("turn:127.0.0.1:3478", turn.getJsonArray("urls").getString(0));
        String username = turn.getString("username");
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        long expected = Instant.now().getEpochSecond() + 86400;
        assertTrue(Math.abs(expiry - expected) < 60, "expiry is now + ttl");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("it-turn-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String credential = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        assertEquals(credential, turn.getString("credential"), "coturn recomputes this HMAC with the shared secret");
    }

    @Test
    void anyoneCreatesARoomThatThenAcceptsJoins() {
        String name = ParleyWar.room("Made");
        HttpResponse<String> created = api().post("api/rooms", "{\"name\":\"" + name + "\",\"capacity\":3,\"password\":\"pw\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject room = Api.object(created.body());
        assertEquals(name.toLowerCase(), room.getString("name"));
        assertEquals(3, room.getInt("capacity"));
        assertTrue(room.getString("url").endsWith("?room=" + name.toLowerCase()), room.getString("url"));
        assertEquals(409, api().post("api/rooms", "{\"name\":\"" + name.toLowerCase() + "\"}").statusCode());

        JsonObject listed = api().adminJson("api/rooms/" + name.toLowerCase());
        assertTrue(listed.getBoolean("hasPassword"));
        assertEquals(0, listed.getJsonArray("participants").size());
        assertFalse(listed.getBoolean("callInProgress"));
        assertNotNull(listed.getString("createdAt"));

        try (WsClient a = WsClient.connect(base())) {
            a.send("join", "room", name, "name", "A", "password", "pw");
            a.expectJoined();
            JsonObject withA = api().adminJson("api/rooms/" + name.toLowerCase());
            JsonObject participant = withA.getJsonArray("participants").getJsonObject(0);
            assertEquals(a.id, participant.getString("id"));
            assertEquals("A", participant.getString("name"));
            assertTrue(participant.getBoolean("connected"));
        }

        HttpResponse<String> random = api().post("api/rooms", "");
        assertEquals(201, random.statusCode());
        JsonObject defaults = Api.object(random.body());
        assertEquals(2, defaults.getInt("capacity"));
        assertTrue(defaults.getString("name").matches("[a-z0-9-]{20,64}"));
    }

    @Test
    void badRoomRequestsAreClearFourHundreds() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        for (String body : List.of("{\"name\":\"no spaces\"}", "{\"capacity\":1}", "{\"capacity\":9}",
                "{\"capacity\":\"two\"}", "{\"password\":\"\"}", "{\"name\":7}", "{oops", "[]",
                "{\"capacity\":18446744073709551618}", "{\"capacity\":1e999999999}", "{\"a\":" + deep + "}",
                "{\"name\":\"a\"}{\"x\":1}")) {
            HttpResponse<String> response = api().post("api/rooms", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            JsonObject error = Api.object(response.body());
            assertNotNull(error.getString("code"));
            assertNotNull(error.getString("message"));
        }
    }

    @Test
    void adminEndpointsRefuseMissingOrWrongTokens() {
        for (String path : List.of("api/rooms", "api/rooms/x", "api/calls", "api/calls/x", "api/reports/calls")) {
            HttpResponse<String> none = api().get(path);
            assertEquals(401, none.statusCode(), path);
            assertEquals("unauthorized", Api.object(none.body()).getString("code"));
            assertEquals(401, api().get(path, "Authorization", "Bearer wrong").statusCode(), path);
        }
        assertEquals(404, api().adminGet("api/rooms/no-such-room").statusCode());
        assertEquals(404, api().admin("DELETE", "api/rooms/no-such-room").statusCode());
        assertEquals(404, api().adminGet("api/calls/no-such-call").statusCode());
    }

    @Test
    void historyIsFilteredPagedAndExportedAsCsv() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String room = ParleyWar.room("history");
        try (WsClient a = WsClient.joined(base(), room, "Ann, \"the\" caller"); WsClient b = WsClient.joined(base(), room, "=Bob")) {
            a.expect("peer-joined");
            for (int i = 0; i < 3; i++) { // three answered calls
                a.callAndAnswer(b);
                a.send("hangup");
                b.expect("hangup");
            }
            a.send("offer", "sdp", SDP); // and one rejected
            b.expect("offer");
            b.send("reject");
            a.expect("reject");
        }
        JsonObject all = api().adminJson("api/calls?room=" + room);
        assertEquals(4, all.getInt("total"));
        JsonArray items = all.getJsonArray("items");
        assertEquals("rejected", items.getJsonObject(0).getString("endReason"), "newest first");
        assertEquals(1, api().adminJson("api/calls?room=" + room + "&reason=rejected").getInt("total"));
        assertEquals(3, api().adminJson("api/calls?room=" + room + "&reason=hangup&status=ended").getInt("total"));
        assertEquals(0, api().adminJson("api/calls?room=" + room + "&status=active").getInt("total"));
        assertEquals(4, api().adminJson("api/calls?room=" + room + "&from=" + start).getInt("total"));
        assertEquals(0, api().adminJson("api/calls?room=" + room + "&to=" + start).getInt("total"));

        assertEquals(4, api().adminJson("api/calls?room=" + room + "&participant=BOB").getInt("total"), "name, any case");
        assertEquals(4, api().adminJson("api/calls?room=" + room + "&participant=%22the%22").getInt("total"));
        assertEquals(0, api().adminJson("api/calls?room=" + room + "&participant=%25").getInt("total"),
                "LIKE wildcards in the search are taken literally");
        assertEquals(4, api().adminJson("api/calls?room=" + room + "&minDurationS=0").getInt("total"));
        assertEquals(0, api().adminJson("api/calls?room=" + room + "&minDurationS=3600").getInt("total"));
        JsonArray oldestFirst = api().adminJson("api/calls?room=" + room + "&sort=startedAt").getJsonArray("items");
        assertEquals(items.getJsonObject(3).getString("id"), oldestFirst.getJsonObject(0).getString("id"));
        for (String sort : List.of("setupMs", "-setupMs")) {
            JsonArray bySetup = api().adminJson("api/calls?room=" + room + "&sort=" + sort).getJsonArray("items");
            assertTrue(bySetup.getJsonObject(3).isNull("setupMs"), sort + ": the unanswered call comes last: " + bySetup);
            assertFalse(bySetup.getJsonObject(0).isNull("setupMs"), sort);
        }
        JsonArray busiest = Api.array(api().adminGet("api/reports/rooms?from=" + start).body());
        JsonObject ours = busiest.getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("room").equals(room)).findFirst().orElseThrow();
        assertEquals(4, ours.getInt("calls"));
        assertEquals(3, ours.getInt("answered"));

        JsonObject page1 = api().adminJson("api/calls?room=" + room + "&size=3&page=1");
        assertEquals(1, page1.getJsonArray("items").size());
        assertEquals(4, page1.getInt("total"));
        assertEquals(1, page1.getInt("page"));
        assertEquals(3, page1.getInt("size"));
        assertEquals(items.getJsonObject(3).getString("id"), page1.getJsonArray("items").getJsonObject(0).getString("id"));
        JsonObject farPast = api().adminJson("api/calls?room=" + room + "&size=500&page=10000000");
        assertEquals(0, farPast.getJsonArray("items").size(), "a page past the end, however far, is empty");
        assertEquals(4, farPast.getInt("total"));

        for (String bad : List.of("size=0", "size=501", "page=-1", "page=x", "from=yesterday", "status=lost",
                "reason=bored", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "room=no%20spaces", "sort=name",
                "minDurationS=-1", "participant=" + "x".repeat(65), "from=-1000000000-01-01T00:00:00Z",
                "to=%2B1000000000-12-31T23:59:59Z", "participant=a%00b", "participant=a%07b")) {
            HttpResponse<String> response = api().adminGet("api/calls?" + bad);
            assertEquals(400, response.statusCode(), bad + " -> " + response.body());
            assertEquals("bad-request", Api.object(response.body()).getString("code"));
        }
        // A NUL in an id: PostgreSQL refuses it in any text, and that is the request's fault, not a database down.
        for (String path : List.of("api/calls/c%00x", "api/webhooks/dead-letters/e%00x/replay")) {
            HttpResponse<String> response = path.endsWith("replay") ? api().admin("POST", path) : api().adminGet(path);
            assertTrue(response.statusCode() == 400 || response.statusCode() == 404, path + " -> " + response.statusCode()
                    + " " + response.body());
        }

        HttpResponse<String> csv = api().admin("GET", "api/calls?room=" + room, "Accept", "text/csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertTrue(lines[0].startsWith("id,room,caller_id,caller_name"), lines[0]);
        assertEquals(5, lines.length, "header and one line per call");
        assertTrue(lines[1].contains("\"Ann, \"\"the\"\" caller\""), "RFC 4180 quoting: " + lines[1]);
        assertTrue(lines[1].contains(",'=Bob,"), "formula cells are neutralised: " + lines[1]);
    }

    @Test
    void theReportCountsCallsPerPeriodInTheDatabase() {
        // The report counts every room: the window opens now, so calls that earlier tests on the same server
        // (WildFlyIT shares one) made a moment ago stay out of it. Stored times have milliseconds.
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String room = ParleyWar.room("report");
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B")) {
            a.expect("peer-joined");
            a.callAndAnswer(b);
            a.send("hangup");
            b.expect("hangup");
            a.send("offer", "sdp", SDP);
            b.expect("offer");
            b.send("reject");
            a.expect("reject");
            a.send("offer", "sdp", SDP);
            b.expect("offer");
            a.expect("call-ended"); // missed after the 6 s ring timeout
            b.expect("call-ended");
        }
        Instant to = Instant.now().plusSeconds(1);
        for (String interval : List.of("hour", "day", "week")) {
            JsonArray rows = Api.array(api().adminGet("api/reports/calls?interval=" + interval + "&from=" + from
                    + "&to=" + to).body());
            long calls = 0;
            long answered = 0;
            long missed = 0;
            long rejected = 0;
            for (JsonObject row : rows.getValuesAs(JsonObject.class)) {
                calls += row.getInt("calls");
                answered += row.getInt("answered");
                missed += row.getInt("missed");
                rejected += row.getInt("rejected");
                String period = row.getString("period");
                assertTrue(switch (interval) {
                    case "hour" -> period.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:00:00Z");
                    case "day" -> period.matches("\\d{4}-\\d{2}-\\d{2}");
                    default -> period.matches("\\d{4}-W\\d{2}");
                }, period);
            }
            assertEquals(3, calls, interval);
            assertEquals(1, answered, interval);
            assertEquals(1, missed, interval);
            assertEquals(1, rejected, interval);
        }
        JsonArray day = Api.array(api().adminGet("api/reports/calls?interval=day&from=" + from + "&to=" + to).body());
        JsonObject last = day.getJsonObject(day.size() - 1);
        assertTrue(last.getJsonNumber("p95SetupMs").doubleValue() >= 0);
        assertEquals(200, api().adminGet("api/reports/calls").statusCode(), "defaults: the last 30 days by day");
        for (String bad : List.of("interval=month", "from=soon", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "from=-1000000000-01-01T00:00:00Z", "to=%2B1000000000-12-31T23:59:59Z")) {
            assertEquals(400, api().adminGet("api/reports/calls?" + bad).statusCode(), bad);
        }
    }

    @Test
    void participantsReportTheQualityTheySaw() {
        String room = ParleyWar.room("quality");
        String callId;
        String callerToken;
        try (WsClient a = WsClient.joined(base(), room, "A"); WsClient b = WsClient.joined(base(), room, "B");
             WsClient stranger = WsClient.joined(base(), ParleyWar.room("elsewhere"), "S")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", SDP);
            callId = b.expect("offer").getString("callId");
            b.send("answer", "sdp", SDP);
            a.expect("answer");
            a.send("hangup");
            b.expect("hangup");
            callerToken = a.resumeToken;
            String report = "{\"rttMs\":12.5,\"jitterMs\":1.5,\"packetsLostPct\":0.1,\"bitrateKbps\":900,\"candidateType\":\"host\"}";
            assertEquals(401, api().post("api/calls/" + callId + "/quality", report).statusCode());
            assertEquals(401, api().post("api/calls/" + callId + "/quality", report, "Authorization", "Bearer nope").statusCode());
            assertEquals(403, api().post("api/calls/" + callId + "/quality", report,
                    "Authorization", "Bearer " + stranger.resumeToken).statusCode());
            assertEquals(400, api().post("api/calls/" + callId + "/quality", "{\"candidateType\":\"carrier-pigeon\"}",
                    "Authorization", "Bearer " + callerToken).statusCode());
            assertEquals(400, api().post("api/calls/" + callId + "/quality", "{\"rttMs\":-1}",
                    "Authorization", "Bearer " + callerToken).statusCode());
            String deep = "{\"rttMs\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
            assertEquals(400, api().post("api/calls/" + callId + "/quality", deep,
                    "Authorization", "Bearer " + callerToken).statusCode());
            assertEquals(413, api().post("api/calls/" + callId + "/quality", "application/json", LARGE_BODY,
                    "Authorization", "Bearer " + callerToken).statusCode());
            assertEquals(204, api().post("api/calls/" + callId + "/quality", report,
                    "Authorization", "Bearer " + callerToken).statusCode());
            for (String empty : List.of("", "{}", "{\"rttMs\":null}")) { // would replace the report above with nothing
                assertEquals(400, api().post("api/calls/" + callId + "/quality", empty,
                        "Authorization", "Bearer " + callerToken).statusCode(), empty);
            }
            b.send("leave");
            // A participant who has left may still report for a while with its last token.
            assertEquals(204, api().post("api/calls/" + callId + "/quality", "{\"rttMs\":20,\"candidateType\":\"relay\"}",
                    "Authorization", "Bearer " + b.resumeToken).statusCode());
            // In a loop, a participant is stopped (parley.calls.quality-rate, 10 a minute); the other is not.
            HttpResponse<String> looped = null;
            for (int i = 0; i < 11 && (looped == null || looped.statusCode() != 429); i++) {
                looped = api().post("api/calls/" + callId + "/quality", report, "Authorization", "Bearer " + callerToken);
            }
            assertEquals(429, looped.statusCode(), looped.body());
            assertEquals("rate-limited", Api.object(looped.body()).getString("code"));
            assertTrue(looped.headers().firstValue("Retry-After").isPresent());
            assertEquals(204, api().post("api/calls/" + callId + "/quality", "{\"rttMs\":20,\"candidateType\":\"relay\"}",
                    "Authorization", "Bearer " + b.resumeToken).statusCode());
        }
        JsonObject quality = api().adminJson("api/calls/" + callId).getJsonObject("quality");
        assertEquals(12.5, quality.getJsonObject("caller").getJsonNumber("rttMs").doubleValue());
        assertEquals("host", quality.getJsonObject("caller").getString("candidateType"));
        assertEquals("relay", quality.getJsonObject("callee").getString("candidateType"));
    }

    @Test
    void aBodyOverTheLimitOrNotInUtf8IsAClearRefusal() {
        HttpResponse<String> large = api().post("api/rooms", "application/json", LARGE_BODY);
        assertEquals(413, large.statusCode(), large.body());
        assertEquals("too-large", Api.object(large.body()).getString("code"));

        HttpResponse<String> bogus = api().post("api/rooms", "application/json; charset=x-bogus", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, bogus.statusCode(), bogus.body());
        assertEquals("unsupported-media-type", Api.object(bogus.body()).getString("code"));
        HttpResponse<String> latin1 = api().post("api/rooms", "application/json",
                "{\"password\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(400, latin1.statusCode(), latin1.body());
        assertEquals("bad-request", Api.object(latin1.body()).getString("code"));

        HttpResponse<String> latin1Label = api().post("api/rooms", "application/json; charset=ISO-8859-1",
                "{\"password\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(415, latin1Label.statusCode(), latin1Label.body());
        HttpResponse<String> asciiLabelled = api().post("api/rooms", "text/plain; charset=ISO-8859-1",
                "{\"password\":\"cafe\"}".getBytes(StandardCharsets.US_ASCII));
        assertEquals(201, asciiLabelled.statusCode(), "ASCII reads the same in UTF-8: " + asciiLabelled.body());
        HttpResponse<String> utf8 = api().post("api/rooms", "application/json; charset=UTF-8",
                "{\"password\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, utf8.statusCode(), utf8.body());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void roomCreationIsRateLimitedPerAddress() {
        HttpResponse<String> response = null;
        for (int i = 0; i < 41; i++) {
            response = api().post("api/rooms", "");
            if (response.statusCode() == 429) {
                break;
            }
            assertEquals(201, response.statusCode());
        }
        assertEquals(429, response.statusCode());
        assertEquals("rate-limited", Api.object(response.body()).getString("code"));
        assertTrue(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow()) > 0);
    }
}
