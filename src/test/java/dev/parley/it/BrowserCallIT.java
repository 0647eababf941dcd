package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.ParleyWar;
import jakarta.json.JsonObject;
import java.net.URL;
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
            bob.await(d -> !bob.find("#incoming").getAttribute("hidden").equals("true")
                    || bob.find("#incoming").isDisplayed());
            assertTrue(bob.text("#incoming").contains("Alice"), bob.text("#incoming"));
            bob.screenshot("ringing");
            bob.click("#accept");

            for (Browser side : new Browser[] {alice, bob}) {
                side.await(d -> {
                    Map<String, Object> media = side.media();
                    return "connected".equals(media.get("state")) && ((Number) media.get("frames")).longValue() > 0
                            ? media : null;
                });
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

    private void join(Browser browser, String name, String room) {
        browser.open(base.toString());
        browser.type("#name", name);
        browser.type("#room", room);
        browser.click("#join");
        browser.await(d -> room.equals(browser.text("#room-name")));
    }
}
