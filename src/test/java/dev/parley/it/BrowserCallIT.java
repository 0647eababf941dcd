package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two real headless Chromium pages with fake cameras call each other through Parley's own client:
 * media must really flow (connected, frames decoded on both sides), and the call must land in history.
 */
@ExtendWith(ArquillianExtension.class)
class BrowserCallIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return ParleyWar.build();
    }

    @ArquillianResource
    URL base;

    @Test
    void twoBrowsersSeeEachOtherAndTheCallIsRecorded() throws Exception {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        assertTrue(Browser.available(), "Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
        String room = ParleyWar.room("browser");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            join(alice, "Alice", room);
            alice.screenshot("lobby-joined");
            join(bob, "Bob", room);

            alice.click("#call");
            bob.await(d -> bob.find("#incoming").isDisplayed());
            assertTrue(bob.text("#incoming").contains("Alice"), bob.text("#incoming"));
            bob.screenshot("ringing");
            bob.click("#accept");

            for (Browser side : new Browser[] {alice, bob}) {
                side.awaitMediaFlowing();
            }
            alice.screenshot("in-call");
            Map<String, Object> bobMedia = bob.media();
            assertEquals("connected", bobMedia.get("state"));
            assertTrue(((Number) bobMedia.get("frames")).longValue() > 0);

            alice.click("#hangup");
            bob.await(d -> bob.text("#status").toLowerCase().contains("ended")
                    || bob.text("#status").toLowerCase().contains("hung up"));
        }
        JsonObject call = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items").getJsonObject(0);
        assertEquals("ended", call.getString("status"));
        assertEquals("hangup", call.getString("endReason"));
        assertEquals("Alice", call.getJsonObject("caller").getString("name"));
        assertEquals("Bob", call.getJsonObject("callee").getString("name"));
        assertTrue(call.getJsonNumber("setupMs").longValue() >= 0);
    }

    @Test
    void theReportPageDrawsChartsAndListsCalls() throws Exception {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        String room = ParleyWar.room("charts");
        try (WsClient a = WsClient.joined(base, room, "<b>Ann</b>"); WsClient b = WsClient.joined(base, room, "Bo")) {
            a.expect("peer-joined");
            a.send("offer", "sdp", "v=0\r\n");
            String callId = b.expect("offer").getString("callId");
            b.send("answer", "sdp", "v=0\r\n");
            a.expect("answer");
            a.send("hangup");
            b.expect("hangup");
            new Api(base).post("api/calls/" + callId + "/quality", "{\"rttMs\":40,\"packetsLostPct\":1,\"candidateType\":\"relay\"}",
                    "Authorization", "Bearer " + a.resumeToken);
            a.send("offer", "sdp", "v=0\r\n");
            b.expect("offer");
            b.send("reject");
            a.expect("reject");
        }
        try (Browser admin = new Browser()) {
            admin.timeZone("Asia/Tokyo"); // an admin nine hours ahead of UTC, in which the filters and charts are
            admin.open(base + "reports.html");
            admin.type("#token", Api.ADMIN_TOKEN);
            admin.click("#load");
            admin.await(d -> "true".equals(admin.find("body").getAttribute("data-loaded")));
            assertEquals(4L, ((Number) admin.script("return window.parleyReports.chartsDrawn")).longValue());
            Object painted = admin.script("return [...document.querySelectorAll('canvas')].filter(c => {"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }).length");
            assertEquals(4L, ((Number) painted).longValue(), "every chart canvas has pixels drawn");
            assertEquals(30L, ((Number) admin.script("return Chart.getChart('chart-outcomes').data.labels.length")).longValue(),
                    "a bar for each of the default 30 days, the days without calls too");
            admin.type("#f-room", room);
            admin.click("#filters button[type=submit]");
            admin.await(d -> admin.text("#calls-total").equals("(2)"));
            String newest = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items").getJsonObject(0)
                    .getString("startedAt");
            assertEquals(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC)
                    .format(Instant.parse(newest)), admin.text("#calls tbody tr:first-child td:first-child"),
                    "times in the table are in UTC, as the filters that chose them");
            admin.click("#calls tbody tr:last-child");
            admin.await(d -> admin.find("#call-detail").isDisplayed());
            assertTrue(admin.text("#detail").contains("<b>Ann</b>"), "names are shown as text, never as HTML");
            assertTrue(admin.text("#detail").contains("relay"), admin.text("#detail"));
            admin.screenshot("reports");

            // The CSV holds what the table lists: a filter typed but not applied is applied first.
            admin.script("window.csvFiles = []; const made = URL.createObjectURL;"
                    + "URL.createObjectURL = blob => { blob.text().then(t => window.csvFiles.push(t)); return made(blob); };");
            admin.click("#csv");
            List<String> lines = csvLines(admin, 1);
            assertEquals(3, lines.size(), "the header and the room's two calls: " + lines);
            assertTrue(lines.get(0).startsWith("id,room,caller_id"), lines.get(0));
            assertTrue(lines.stream().skip(1).allMatch(line -> line.contains("," + room + ",")), lines.toString());
            admin.type("#f-room", "nobody-called-here");
            admin.click("#csv");
            admin.await(d -> admin.text("#calls-total").equals("(0)"));
            assertEquals(1, csvLines(admin, 2).size(), "the header alone, as the table is empty");

            // Filters applied twice quickly, the first query the slower: the charts show the second's.
            admin.script("const f = window.fetch; window.fetch = (u, o) => String(u).includes('interval=hour')"
                    + " ? new Promise(r => setTimeout(r, 1500)).then(() => f(u, o)) : f(u, o);");
            admin.script("document.getElementById('f-interval').value = 'hour'");
            admin.click("#filters button[type=submit]");
            admin.script("document.getElementById('f-interval').value = 'day'");
            admin.click("#filters button[type=submit]");
            Thread.sleep(2_500);
            assertEquals(30L, ((Number) admin.script("return Chart.getChart('chart-outcomes').data.labels.length")).longValue(),
                    "30 daily bars, not the bars of the overtaken hourly query");
        }
    }

    /** The lines of the {@code n}th CSV file the report page made, once it has. */
    private static List<String> csvLines(Browser admin, int n) {
        admin.await(d -> ((Number) admin.script("return window.csvFiles.length")).intValue() >= n);
        return List.of(((String) admin.script("return window.csvFiles[" + (n - 1) + "]")).strip().split("\r?\n"));
    }

    private void join(Browser browser, String name, String room) {
        browser.open(base.toString());
        browser.joinRoom(name, room);
    }
}
