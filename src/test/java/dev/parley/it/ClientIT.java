package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.FreezableProxy;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The call page as people use it, in real headless Chromium with fake camera and microphone, against one
 * Payara Micro: ringing both ways, names shown as text, chat, mute, a microphone switch, screen sharing, a
 * signaling drop, a silent network loss and an ICE restart that the call survives, and a group call in a four-seat
 * room. Each test stays under a minute, but the group call's three pages (90 s).
 */
@ExtendWith(ArquillianExtension.class)
class ClientIT {

    private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";

    @Deployment(testable = false)
    static WebArchive war() {
        return ParleyWar.build();
    }

    @ArquillianResource
    URL base;

    @BeforeEach
    void browsersPresent() {
        assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped by -DskipBrowserTests");
        assertTrue(Browser.available(), "Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ringingCancelMissedNamesAsTextChatAndMute() throws Exception {
        String room = ParleyWar.room("client");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            alice.open(testPage());
            alice.type("#name", HOSTILE_NAME);
            alice.type("#room", room);
            alice.screenshot("lobby");
            join(alice, HOSTILE_NAME, room);
            alice.await(d -> alice.text("#status").contains("Waiting for someone to join"));
            join(bob, "Bob", room);

            alice.click("#call");
            alice.await(d -> alice.shows("#outgoing") && "outgoing".equals(alice.state().get("ringing")));
            assertTrue(alice.text("#outgoing").contains("Calling Bob"), alice.text("#outgoing"));
            assertTrue(alice.shows("#cancel"));
            bob.await(d -> bob.shows("#incoming") && "incoming".equals(bob.state().get("ringing")));
            assertTrue(bob.text("#incoming-text").contains(HOSTILE_NAME + " is calling"), "the name is shown literally");
            assertTrue(bob.text("#participants").contains(HOSTILE_NAME));
            assertEquals(0L, bob.script("return document.querySelectorAll('img').length"), "no markup from a name");
            assertEquals("accept", bob.script("return document.activeElement.id"), "the keyboard can answer at once");
            bob.screenshot("ringing");

            alice.click("#cancel");
            bob.await(d -> !bob.shows("#incoming") && bob.text("#status").contains("cancelled the call"));
            assertEquals(null, bob.state().get("ringing"), "the ring stops");
            alice.click("#call");
            bob.await(d -> bob.shows("#incoming"));
            bob.await(d -> bob.text("#status").startsWith("Missed call from " + HOSTILE_NAME)); // ring timeout: 6 s in ITs
            alice.await(d -> alice.text("#status").contains("Bob did not answer"));
            assertEquals(null, alice.state().get("ringing"));

            alice.click("#call");
            bob.await(d -> bob.shows("#incoming"));
            bob.find("#accept").sendKeys(Keys.ENTER);
            bob.await(d -> "hangup".equals(bob.script("return document.activeElement.id"))); // the keyboard stays in the call

            for (Browser side : List.of(alice, bob)) {
                side.await(d -> side.connectedWithVideo() == 1);
                side.await(d -> side.state().get("ringing") == null);
            }
            assertTrue(bob.text(".tile figcaption .who").contains(HOSTILE_NAME));
            assertEquals(0L, bob.script("return document.querySelectorAll('img').length"));
            alice.await(d -> alice.text("#timer").matches("\\d\\d:\\d\\d"));
            assertTrue(alice.find("#local").getAttribute("class").contains("mirrored"), "the local preview is a mirror");
            String path = alice.await(d -> (String) alice.script("return document.querySelector('.tile .link').dataset.path || null"));
            assertEquals("direct", path);
            assertTrue(alice.text(".tile .link").matches("direct · \\d+ ms.*"), alice.text(".tile .link"));

            bob.type("#chat-input", "hi <b>there</b> & welcome");
            bob.find("#chat-input").sendKeys(Keys.ENTER);
            alice.await(d -> alice.text("#chat-log").contains("Bob: hi <b>there</b> & welcome"));
            assertEquals(0L, alice.script("return document.querySelectorAll('#chat-log b').length"));
            alice.type("#chat-input", "hello Bob");
            alice.click("#chat-send");
            bob.await(d -> bob.text("#chat-log").contains(HOSTILE_NAME + ": hello Bob"));
            alice.screenshot("in-call");
            bob.resize(390, 844);
            bob.screenshot("in-call-phone");
            assertTrue((Boolean) bob.script("return document.documentElement.scrollWidth <= window.innerWidth"),
                    "nothing wider than a phone's screen");

            double before = energyGrowth(bob);
            assertTrue(before > 0, "audio flows before muting: " + before);
            alice.click("#mute");
            assertEquals("true", alice.find("#mute").getAttribute("aria-pressed"));
            assertEquals(Boolean.FALSE, alice.script("return window.parley.state().media.micOn"));
            Thread.sleep(500);
            double after = energyGrowth(bob);
            assertTrue(after < before / 10, "muting stops the sound: " + before + " before, " + after + " after");

            alice.click("#hangup");
            bob.await(d -> bob.text("#status").contains("hung up"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMicrophoneSwitchAndAScreenShareKeepTheSameCall() throws Exception {
        String room = ParleyWar.room("share");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);
            Object callId = bob.script("return window.parley.lastCallId");

            // another microphone: the sender's track is swapped in place (no renegotiation) and sound keeps coming
            String sdp = (String) alice.script("return [...window.parley.peers().values()][0].localDescription.sdp");
            String other = (String) alice.script("const s = document.querySelector('#mic-select');"
                    + "return [...s.options].map(o => o.value).find(v => v && v !== s.value) || null");
            assertNotNull(other, "Chromium's fake devices list two microphones");
            new Select(alice.find("#mic-select")).selectByValue(other);
            alice.await(d -> other.equals(alice.script("const pc = [...window.parley.peers().values()][0];"
                    + "const t = pc.getSenders().map(s => s.track).find(t => t && t.kind === 'audio');"
                    + "return t && t.getSettings().deviceId")));
            assertEquals(sdp, alice.script("return [...window.parley.peers().values()][0].localDescription.sdp"),
                    "no renegotiation for a device switch");
            assertTrue(energyGrowth(bob) > 0, "sound from the new microphone");

            // a camera that cannot be opened (unplugged since it was listed): said beside the pickers, during the call
            alice.script("const s = document.querySelector('#camera-select'); s.add(new Option('Gone', 'no-such-camera'));"
                    + "s.value = 'no-such-camera'; s.dispatchEvent(new Event('change'))");
            alice.await(d -> alice.shows("#device-error"));
            assertTrue(alice.text("#device-error").contains("Could not switch to that camera"), alice.text("#device-error"));

            alice.click("#share");
            alice.await(d -> Boolean.TRUE.equals(alice.state().get("sharing")));
            assertFalse(alice.find("#local").getAttribute("class").contains("mirrored"), "a shared screen is not mirrored");
            bob.await(d -> bob.framesShownIn(".tile.screen video") > 0);
            long first = bob.framesShownIn(".tile.screen video");
            bob.await(d -> bob.framesShownIn(".tile.screen video") > first + 5);
            long camera = bob.framesShownIn(".tile.camera video");
            bob.await(d -> bob.framesShownIn(".tile.camera video") > camera + 5);
            assertEquals("2", bob.find("#remotes").getAttribute("data-count"));
            bob.screenshot("screen-share");

            alice.click("#share");
            alice.await(d -> Boolean.FALSE.equals(alice.state().get("sharing")));
            bob.await(d -> "1".equals(bob.find("#remotes").getAttribute("data-count")));
            long still = bob.framesShownIn(".tile.camera video");
            bob.await(d -> bob.framesShownIn(".tile.camera video") > still + 5);
            assertEquals(callId, bob.script("return window.parley.lastCallId"), "the same call all along");
            assertEquals(1L, alice.connectedWithVideo());
            bob.click("#hangup");
            alice.await(d -> alice.text("#status").contains("hung up"));
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"), "one call, renegotiated, not a new one");
    }

    /**
     * Bob's screen share outlives a call, and he accepts the next one: his camera must go out in the offer's video
     * section and the screen beside it, not the screen in the camera's place.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aScreenShareLeftOnGoesBesideTheCameraInTheNextCallAccepted() throws Exception {
        String room = ParleyWar.room("share-next");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);
            bob.click("#share");
            bob.await(d -> Boolean.TRUE.equals(bob.state().get("sharing")));
            alice.click("#hangup");
            bob.await(d -> bob.text("#status").contains("Alice hung up"));
            assertEquals(Boolean.TRUE, bob.state().get("sharing"), "the share is still on");

            alice.click("#call");
            bob.await(d -> bob.shows("#accept"));
            bob.click("#accept");
            bob.await(d -> bob.connectedWithVideo() == 1);
            Object mid = alice.script("const pc = [...window.parley.peers().values()][0];"
                    + "return pc.getTransceivers().find(t => t.receiver.track.kind === 'video').mid");
            assertEquals("camera", bob.script("const pc = [...window.parley.peers().values()][0];"
                    + "const t = pc.getTransceivers().find(t => t.mid === arguments[0]).sender.track;"
                    + "return t === null ? 'nothing' : t.getSettings().displaySurface ? 'screen' : 'camera'", mid),
                    "the offer's video section carries the camera");
            alice.await(d -> "2".equals(alice.find("#remotes").getAttribute("data-count")));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDroppedSignalingSocketResumesAndKeepsTheCall() throws Exception {
        String room = ParleyWar.room("resume");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);
            Object self = alice.script("return window.parley.selfId");

            alice.script("window.parley.simulateNetworkLoss()");
            alice.await(d -> "reconnecting".equals(alice.state().get("link")));
            alice.await(d -> "joined".equals(alice.state().get("link")));
            assertEquals(self, alice.script("return window.parley.selfId"), "resumed as the same participant");
            long frames = ((Number) bob.media().get("frames")).longValue();
            bob.await(d -> ((Number) bob.media().get("frames")).longValue() > frames + 10);
            assertEquals(1L, alice.connectedWithVideo());

            alice.type("#chat-input", "still here");
            alice.find("#chat-input").sendKeys(Keys.ENTER);
            bob.await(d -> bob.text("#chat-log").contains("still here"));
            bob.await(d -> !bob.text(".tile .link").isEmpty() && bob.text(".tile .link").contains("kb/s"));
            bob.screenshot("call");

            // Alice hangs up the moment her socket drops again: the hang-up waits for the resume and then goes out.
            assertEquals("reconnecting", alice.script("window.parley.simulateNetworkLoss();"
                    + "document.getElementById('hangup').click(); return window.parley.state().link"));
            bob.await(d -> bob.text("#status").contains("hung up"));
            assertEquals(self, alice.script("return window.parley.selfId"));
        }
        JsonObject call = onlyCall(room);
        assertEquals("hangup", call.getString("endReason"), "the server kept the call through the drops, and heard the hang-up");
    }

    /**
     * A network that goes away without closing anything, as when a laptop sleeps: the proxy in front of Alice's page
     * stops passing her signaling socket's bytes and closes nothing (media flows peer to peer on loopback, and goes
     * on). The server's pings are control frames, which a page never sees, so the page must find the silence by its
     * own pings, and soon enough: the server declares the socket dead after two 5 s ping intervals and keeps her seat
     * for the resume grace (2 s in the ITs). Found later, her resume is refused and she comes back as someone else.
     * Bob's page restarts ICE during the silence: the offer it sends is lost, and must be made again.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSilentNetworkLossIsFoundByThePageWhichResumesItsSeatAndKeepsTheCall() throws Exception {
        String room = ParleyWar.room("silent");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            Object self = alice.script("return window.parley.selfId");
            int sockets = proxy.webSockets();

            proxy.freeze();
            long frozen = System.nanoTime();
            // Meanwhile Bob's page restarts ICE: its offer is lost in the silence, and nobody tells Bob.
            String bobsUfrag = bob.iceUfrag("localDescription");
            assertEquals(1L, bob.script("return window.parley.restartIce()"));
            alice.await(d -> proxy.webSockets() > sockets); // her page has given the socket up and connects again
            long foundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
            alice.await(d -> "joined".equals(alice.state().get("link")));
            assertEquals(self, alice.script("return window.parley.selfId"),
                    "resumed as the same participant (silence found after " + foundMs + " ms)");

            // Unanswered, Bob's offer is made again, and this one reaches Alice and is answered.
            bob.await(d -> Boolean.FALSE.equals(((Map<?, ?>) ((List<?>) bob.state().get("calls")).get(0)).get("restarting")));
            String fresh = bob.iceUfrag("localDescription");
            assertFalse(fresh.equals(bobsUfrag), "new ICE credentials");
            assertEquals(fresh, alice.iceUfrag("remoteDescription"));
            long frames = bob.framesDecoded();
            bob.await(d -> bob.framesDecoded() > frames + 10);
            assertEquals(1, ((List<?>) bob.state().get("peers")).size(), "Bob never lost Alice");
            alice.click("#hangup");
            bob.await(d -> bob.text("#status").contains("hung up"));
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"), "the server kept the call through the silence");
    }

    /**
     * Bob hangs up while Alice's network is silent: the server ends the call and sends the hang-up to her old socket,
     * which is dead. Her page learns of the end only from the {@code calls} of the {@code joined} that resumes her
     * seat. It must end the call there, and not renegotiate it: that offer would ring at Bob's as a new call.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCallHungUpWhileThePageWasAwayEndsThereOnItsReturnAndDoesNotRingAgain() throws Exception {
        String room = ParleyWar.room("away");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            Object self = alice.script("return window.parley.selfId");
            int sockets = proxy.webSockets();

            proxy.freeze();
            bob.click("#hangup");
            bob.await(d -> bob.text("#status").contains("you hung up"));
            awaitResumed(alice, proxy, sockets);
            assertEquals(self, alice.script("return window.parley.selfId"), "resumed as the same participant");
            alice.await(d -> ((List<?>) alice.state().get("calls")).isEmpty());
            assertTrue(alice.text("#status").contains("ended while your connection"), alice.text("#status"));

            Thread.sleep(2000); // a renegotiation offer would have rung by now
            assertTrue(((List<?>) bob.state().get("calls")).isEmpty(), "nothing rings at Bob's: " + bob.state());
            assertEquals(1, ((List<?>) bob.state().get("peers")).size(), "Alice is still in the room");
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"), "one call, and no second one started");
    }

    /**
     * Alice hangs up during a silence her page has not noticed yet: the hang-up goes into the dead socket and never
     * reaches the server, which keeps the call on. Told by the resumed {@code joined} that the call it ended is still
     * there, her page says it again, and Bob's call ends.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHangUpLostInASilentNetworkIsSentAgainOnTheResume() throws Exception {
        String room = ParleyWar.room("lost-hangup");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            Object self = alice.script("return window.parley.selfId");
            int sockets = proxy.webSockets();

            proxy.freeze();
            alice.click("#hangup");
            assertEquals("joined", alice.state().get("link"), "her page has not noticed the silence yet");
            awaitResumed(alice, proxy, sockets);
            assertEquals(self, alice.script("return window.parley.selfId"), "resumed as the same participant");
            bob.await(d -> bob.text("#status").contains("Alice hung up"));
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"));
    }

    /**
     * Alice hangs up and calls Bob again during a silence her page has not noticed: both go into the dead socket. On
     * the resume the server still lists the first call; her page must hang that one up again, not take its id for the
     * new call (whose offer would then reach Bob as a renegotiation of a call he thinks is on), and then place the new
     * call, which rings at Bob and connects.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHangUpAndANewCallLostInASilentNetworkAreBothSaidOnTheResume() throws Exception {
        String room = ParleyWar.room("lost-recall");
        Object first;
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            first = bob.script("return window.parley.lastCallId");
            int sockets = proxy.webSockets();

            proxy.freeze();
            alice.click("#hangup");
            alice.await(d -> alice.find("#call").isEnabled());
            alice.click("#call");
            awaitResumed(alice, proxy, sockets);
            bob.await(d -> bob.shows("#accept"));
            assertFalse(first.equals(bob.script("return window.parley.lastCallId")), "a new call rings");
            bob.click("#accept");
            for (Browser side : List.of(alice, bob)) {
                side.await(d -> side.connectedWithVideo() == 1);
            }
        }
        JsonArray items = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items");
        assertEquals(2, items.size(), items.toString());
        JsonObject firstCall = new Api(base).adminJson("api/calls/" + first);
        assertEquals("hangup", firstCall.getString("endReason"), "the first call ended as Alice said while away");
    }

    /**
     * Bob leaves while Alice's network is silent: she never hears it. On her resume the room no longer lists him, and
     * her page ends the call saying who left.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPeerWhoLeftWhileThePageWasAwayIsNamedOnItsReturn() throws Exception {
        String room = ParleyWar.room("left-away");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            int sockets = proxy.webSockets();

            proxy.freeze();
            bob.click("#leave");
            awaitResumed(alice, proxy, sockets);
            alice.await(d -> alice.text("#status").contains("Bob left"));
            assertFalse(alice.text("#status").contains("Someone"), alice.text("#status"));
        }
    }

    /**
     * An admin removes Alice while her network is silent: the server closes her socket with 4001, which never reaches
     * her page. When her page finds the silence and tries to resume, the refusal says she was kicked: the page tells
     * her so and stays out, instead of joining the room again as a new participant.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPageKickedWhileItsNetworkWasSilentStaysOut() throws Exception {
        String room = ParleyWar.room("kicked-away");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            joinThrough(proxy, alice, "Alice", room);
            join(bob, "Bob", room);
            awaitPeers(alice, 1);
            Object self = alice.script("return window.parley.selfId");
            int sockets = proxy.webSockets();

            proxy.freeze();
            assertEquals(204, new Api(base).admin("DELETE", "api/rooms/" + room + "/participants/" + self).statusCode());
            bob.await(d -> ((List<?>) bob.state().get("peers")).isEmpty());
            alice.await(d -> proxy.webSockets() > sockets);
            alice.await(d -> alice.text("#status").contains("removed from the room"));
            Thread.sleep(1000);
            assertTrue(((List<?>) bob.state().get("peers")).isEmpty(), "Alice did not come back: " + bob.state());
        }
    }

    /**
     * Alice calls while Bob's network is gone: the offer goes into his dead socket and is lost. Once Bob's page has
     * resumed the seat, the server sends it the offer again, so his page rings, and the call connects. The proxy in
     * front of Bob's page holds his socket and refuses his page's reconnections until the offer has been sent.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCallPlacedWhileThePeersNetworkIsGoneRingsThereOnceItIsBack() throws Exception {
        String room = ParleyWar.room("ring-later");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            join(alice, "Alice", room);
            joinThrough(proxy, bob, "Bob", room);
            awaitPeers(alice, 1);
            int sockets = proxy.webSockets();

            proxy.cut();
            bob.script("window.parley.simulateNetworkLoss()"); // his page knows at once, and keeps trying
            alice.click("#call");
            alice.await(d -> "outgoing".equals(alice.state().get("ringing")));
            Thread.sleep(500); // the offer is made, sent and relayed into the dead socket
            proxy.restore();
            awaitResumed(bob, proxy, sockets);
            bob.await(d -> "incoming".equals(bob.state().get("ringing")));
            bob.click("#accept");
            for (Browser side : List.of(alice, bob)) {
                side.await(d -> side.connectedWithVideo() == 1);
            }
            assertEquals("active", onlyCall(room).getString("status"), "the call that rang late, answered");
        }
    }

    /**
     * Alice calls during a silence her page has not noticed yet: the offer goes into the dead socket and the server
     * never hears of the call. Once her page has resumed the seat, it offers again, and Bob's page rings.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCallPlacedIntoASilentNetworkIsPlacedAgainOnTheResume() throws Exception {
        String room = ParleyWar.room("call-into-silence");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            joinThrough(proxy, alice, "Alice", room);
            join(bob, "Bob", room);
            awaitPeers(alice, 1);
            int sockets = proxy.webSockets();

            proxy.freeze();
            alice.click("#call");
            awaitResumed(alice, proxy, sockets);
            bob.await(d -> "incoming".equals(bob.state().get("ringing")));
            bob.click("#accept");
            for (Browser side : List.of(alice, bob)) {
                side.await(d -> side.connectedWithVideo() == 1);
            }
            assertEquals("active", onlyCall(room).getString("status"));
        }
    }

    /**
     * Bob rejects Alice's call during a silence her page has not noticed: the rejection goes into her dead socket.
     * Resumed, her page cannot tell that call from one whose offer never reached the server, and offers again; the
     * server takes it for a new call. Bob's page knows the offer (the SDP session of the call he rejected) and
     * rejects that call again, so that it does not ring at his and Alice hears she was rejected.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCallRejectedWhileTheCallersNetworkWasSilentDoesNotRingAgain() throws Exception {
        String room = ParleyWar.room("rejected-away");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            joinThrough(proxy, alice, "Alice", room);
            join(bob, "Bob", room);
            awaitPeers(alice, 1);
            int sockets = proxy.webSockets();
            alice.click("#call");
            bob.await(d -> "incoming".equals(bob.state().get("ringing")));

            proxy.freeze();
            bob.click("#reject");
            awaitResumed(alice, proxy, sockets);
            alice.await(d -> ((List<?>) alice.state().get("calls")).isEmpty());
            alice.await(d -> alice.text("#status").contains("rejected by Bob")); // she hears it after all
            Thread.sleep(1000);
            assertTrue(((List<?>) bob.state().get("calls")).isEmpty(), "nothing rings at Bob's: " + bob.state());
        }
        JsonArray calls = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items");
        assertEquals(List.of("rejected", "rejected"), calls.getValuesAs(JsonObject.class).stream()
                .map(c -> c.getString("endReason", "(" + c.getString("status") + ")")).toList(),
                "the call Bob rejected, and the one Alice's page made again, rejected again by Bob's");
    }

    /**
     * Alice leaves while her socket reconnects: her page resumes the seat only to leave it, so Bob hears at once that
     * she left, not after the resume grace that she was disconnected, and her seat is free.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void leavingWhileReconnectingLeavesTheRoomAtOnce() throws Exception {
        String room = ParleyWar.room("leave-reconnecting");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);

            assertEquals("reconnecting", alice.script("window.parley.simulateNetworkLoss();"
                    + "const link = window.parley.state().link; document.getElementById('leave').click(); return link"));
            bob.await(d -> bob.text("#status").contains("Alice left"));
            assertEquals(0, ((List<?>) bob.state().get("peers")).size());
        }
        assertEquals("left", onlyCall(room).getString("endReason"), "she left; she was not disconnected");
    }

    /**
     * Reloading (or closing) the tab is leaving: the call ends {@code left} at once, the peer is told so, and the
     * reloaded page gets its seat in the two-seat room back straight away instead of finding the room full while the
     * server holds the old seat for a resume that never comes.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void reloadingThePageLeavesTheRoomAndItsSeatIsFreeAtOnce() throws Exception {
        String room = ParleyWar.room("reload");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);

            alice.open(testPage()); // a reload: the old page is torn down
            bob.await(d -> bob.text("#status").contains("Alice left"));
            assertEquals("left", onlyCall(room).getString("endReason"), "she left; she was not disconnected");
            join(alice, "Alice", room);
            awaitPeers(bob, 1);
        }
    }

    /**
     * Alice hangs up while Bob's ICE-restart offer is on its way to her: the server relays the offer (the call is still
     * on) before her hang-up reaches it, and her page receives it after it ended the call. The proxy in front of her
     * page holds both for a moment, so that they cross for sure. The offer must not ring at Alice's as a new call.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOfferThatCrossesTheHangUpDoesNotRingAsANewCall() throws Exception {
        String room = ParleyWar.room("crossed");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            callThrough(proxy, alice, bob, room);
            String bobsUfrag = bob.iceUfrag("localDescription");

            proxy.freeze();
            assertEquals(1L, bob.script("return window.parley.restartIce()"));
            bob.await(d -> !bobsUfrag.equals(bob.iceUfrag("localDescription"))); // the offer is made and sent
            Thread.sleep(300); // and relayed by the server, into the frozen link
            alice.click("#hangup");
            proxy.thaw();
            bob.await(d -> bob.text("#status").contains("Alice hung up"));

            Thread.sleep(2000);
            assertTrue(((List<?>) alice.state().get("calls")).isEmpty(), "nothing rings at Alice's: " + alice.state());
            assertFalse(alice.text("#status").contains("Incoming"), alice.text("#status"));
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"), "one call, and no second one started");
    }

    /**
     * The same crossing the other way round: Alice's hang-up reaches the server first, so Bob's ICE-restart offer,
     * held a moment by the proxy in front of his page, arrives when there is no call and starts a new one. Alice's
     * page knows the offer for one of the connection she hung up (its SDP session): it cancels that call instead of
     * ringing.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOfferThatArrivesAfterTheHangUpIsCancelledNotRung() throws Exception {
        String room = ParleyWar.room("late-offer");
        try (FreezableProxy proxy = new FreezableProxy(base); Browser alice = new Browser(); Browser bob = new Browser()) {
            join(alice, "Alice", room);
            joinThrough(proxy, bob, "Bob", room);
            alice.click("#call");
            bob.click("#accept");
            for (Browser side : List.of(alice, bob)) {
                side.await(d -> side.connectedWithVideo() == 1);
            }
            String bobsUfrag = bob.iceUfrag("localDescription");

            proxy.freeze();
            assertEquals(1L, bob.script("return window.parley.restartIce()"));
            bob.await(d -> !bobsUfrag.equals(bob.iceUfrag("localDescription"))); // sent, into the frozen link
            alice.click("#hangup");
            Thread.sleep(300); // the server has ended the call
            proxy.thaw();
            bob.await(d -> bob.text("#status").contains("Alice hung up"));

            Thread.sleep(2000);
            assertTrue(((List<?>) alice.state().get("calls")).isEmpty(), "nothing rings at Alice's: " + alice.state());
            assertFalse(alice.text("#status").contains("Incoming"), alice.text("#status"));
        }
        JsonArray calls = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items");
        assertEquals(List.of("cancelled", "hangup"), calls.getValuesAs(JsonObject.class).stream()
                .map(c -> c.getString("endReason", "(" + c.getString("status") + ")")).toList(),
                "the call, and the one the late offer started, cancelled by Alice's page");
    }

    /**
     * The restart is triggered through the test hook {@code window.parley.restartIce()}, which calls the same
     * function the connection-state watcher calls when media fails: on loopback nothing a page can do breaks an
     * established ICE connection without closing it (see README, "The call page"). Both sides restart in turn,
     * so both the polite and the impolite side are covered.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anIceRestartRenegotiatesThroughTheServerAndKeepsTheCall() throws Exception {
        String room = ParleyWar.room("ice");
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            call(alice, bob, room);
            Object callId = bob.script("return window.parley.lastCallId");

            for (Browser side : List.of(alice, bob)) {
                Browser other = side == alice ? bob : alice;
                String offered = side.iceUfrag("localDescription");
                String answered = other.iceUfrag("localDescription");
                assertEquals(offered, other.iceUfrag("remoteDescription"));

                List<?> started = (List<?>) side.script("const n = window.parley.restartIce(); const s = window.parley.state();"
                        + "return [n, s.calls[0].restarting, s.status]");
                assertEquals(1L, started.get(0), "one call restarted");
                assertEquals(Boolean.TRUE, started.get(1));
                assertTrue(((String) started.get(2)).contains("reconnecting"), "the user is told: " + started.get(2));

                // the new offer, with fresh ICE credentials, went through the server and was answered
                side.await(d -> !offered.equals(side.iceUfrag("localDescription")));
                String fresh = side.iceUfrag("localDescription");
                other.await(d -> fresh.equals(other.iceUfrag("remoteDescription")));
                side.await(d -> !answered.equals(side.iceUfrag("remoteDescription")));
                assertEquals(other.iceUfrag("localDescription"), side.iceUfrag("remoteDescription"));

                side.await(d -> Boolean.FALSE.equals(((Map<?, ?>) ((List<?>) side.state().get("calls")).get(0)).get("restarting")));
                assertEquals("connected", side.media().get("state"));
                assertFalse(side.text("#status").contains("reconnecting"), side.text("#status"));
                for (Browser page : List.of(other, side)) {
                    long frames = page.framesDecoded();
                    page.await(d -> page.framesDecoded() > frames + 10);
                }
            }
            assertEquals(1L, alice.connectedWithVideo());
            assertEquals(callId, alice.script("return window.parley.lastCallId"), "the same call all along");
            alice.click("#hangup");
            bob.await(d -> bob.text("#status").contains("hung up"));
        }
        assertEquals("hangup", onlyCall(room).getString("endReason"), "one call, ICE restarted twice, not a new one");
    }

    /**
     * Ann's page rings two people who never answer (two plain WebSocket clients): both calls ring out (6 s in the
     * ITs). A callee sends nothing while it rings, so Ann's page never heard either call's id, and must still tell
     * which call each {@code call-ended} is about, and stop ringing.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aGroupCallNobodyAnswersStopsRingingOnTheCallersPage() throws Exception {
        String room = ParleyWar.room("unanswered");
        assertEquals(201, new Api(base).post("api/rooms", "{\"name\":\"" + room + "\",\"capacity\":3}").statusCode());
        try (Browser ann = new Browser(); WsClient ben = WsClient.joined(base, room, "Ben");
             WsClient cleo = WsClient.joined(base, room, "Cleo")) {
            join(ann, "Ann", room);
            ann.await(d -> ((List<?>) ann.state().get("peers")).size() == 2);

            ann.click("#call");
            ben.skipTo("offer");
            cleo.skipTo("offer");
            ann.await(d -> "outgoing".equals(ann.state().get("ringing")));
            ann.await(d -> ((List<?>) ann.state().get("calls")).isEmpty() && ann.state().get("ringing") == null);
            assertTrue(ann.text("#status").contains("did not answer"), ann.text("#status"));
            assertEquals("missed", ben.skipTo("call-ended").getString("reason"));
            assertEquals("missed", cleo.skipTo("call-ended").getString("reason"));
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // three pages with video on two CPUs: over 60 s on a slow machine
    void threePagesInAFourSeatRoomConnectPairwise() throws Exception {
        String room = ParleyWar.room("group");
        assertEquals(201, new Api(base).post("api/rooms", "{\"name\":\"" + room + "\",\"capacity\":4}").statusCode());
        try (Browser a = new Browser(); Browser b = new Browser(); Browser c = new Browser()) {
            join(a, "Ann", room);
            join(b, "Ben", room);
            join(c, "Cleo", room);
            a.await(d -> ((List<?>) a.state().get("peers")).size() == 2);

            a.click("#call");
            // Both ring at once, for the ITs' 6 s ring timeout: they answer at the same time, as two people would,
            // not one after the other (once in CI, C's ring ran out before the test got to its Accept).
            CompletableFuture<Void> cleoAnswers = CompletableFuture.runAsync(() -> c.click("#accept"));
            b.click("#accept");
            cleoAnswers.join();
            for (Browser page : List.of(a, b, c)) {
                page.await(d -> page.connectedWithVideo() == 2);
                page.await(d -> "2".equals(page.find("#remotes").getAttribute("data-count")));
            }
            b.screenshot("group-call");
            c.type("#chat-input", "hello all");
            c.find("#chat-input").sendKeys(Keys.ENTER);
            a.await(d -> a.text("#chat-log").contains("Cleo: hello all"));
            b.await(d -> b.text("#chat-log").contains("Cleo: hello all"));
        }
        JsonArray calls = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items");
        assertEquals(3, calls.size(), "one call per pair: " + calls);
        for (JsonObject call : calls.getValuesAs(JsonObject.class)) {
            assertTrue(call.get("answeredAt") != null && !call.isNull("answeredAt"), "every pair answered: " + call);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFullRoomAWrongPasswordAndABlockedCameraAreExplained() throws Exception {
        String full = ParleyWar.room("full");
        String locked = ParleyWar.room("locked");
        try (WsClient one = WsClient.joined(base, full, "One"); WsClient two = WsClient.joined(base, full, "Two");
                WsClient owner = WsClient.connect(base); Browser page = new Browser(false)) {
            owner.send(Json.createObjectBuilder().add("type", "join").add("room", locked).add("name", "Owner")
                    .add("password", "open-sesame").build());
            owner.expectJoined();

            page.open(base.toString()); // as people open it: no fault injection
            assertEquals("function undefined undefined", page.script("const p = window.parley;"
                    + "return [typeof p.state, typeof p.simulateNetworkLoss, typeof p.restartIce].join(' ')"));
            page.type("#name", "Pat");
            page.type("#room", full);
            page.click("#join");
            page.await(d -> page.shows("#lobby-error"));
            assertTrue(page.text("#lobby-error").contains("That room is full"), page.text("#lobby-error"));

            page.type("#room", locked);
            page.click("#join");
            page.await(d -> page.shows("#password"));
            assertTrue(page.text("#lobby-error").contains("protected"), page.text("#lobby-error"));
            assertEquals("password", page.script("return document.activeElement.id"));
            page.type("#password", "guess");
            page.click("#join");
            page.await(d -> page.text("#lobby-error").contains("Wrong password"));
            page.type("#password", "open-sesame");
            page.click("#join");
            page.await(d -> locked.equals(page.text("#room-name")));

            page.await(d -> page.shows("#media-note"));
            assertTrue(page.text("#media-note").contains("you can watch and listen"), page.text("#media-note"));
            owner.expect("peer-joined");
        }
    }

    /** How much audio energy arrived over two seconds. */
    private static double energyGrowth(Browser browser) throws InterruptedException {
        double start = browser.inboundAudioEnergy();
        Thread.sleep(2000);
        return browser.inboundAudioEnergy() - start;
    }

    /** The call page with {@code ?test}: window.parley then also offers fault injection. */
    private String testPage() {
        return base + "?test";
    }

    private JsonObject onlyCall(String room) {
        JsonArray items = new Api(base).adminJson("api/calls?room=" + room).getJsonArray("items");
        assertEquals(1, items.size(), items.toString());
        return items.getJsonObject(0);
    }

    private void call(Browser alice, Browser bob, String room) {
        join(alice, "Alice", room);
        join(bob, "Bob", room);
        alice.click("#call");
        bob.click("#accept");
        for (Browser side : List.of(alice, bob)) {
            side.await(d -> side.connectedWithVideo() == 1);
        }
    }

    /** {@link #call}, with the caller's page opened through {@code proxy}. */
    private void callThrough(FreezableProxy proxy, Browser alice, Browser bob, String room) {
        alice.open(proxy.base() + "?test");
        call(alice, bob, room);
    }

    /** Opens the test page through {@code proxy} (whose network the test can then freeze or cut) and joins. */
    private void joinThrough(FreezableProxy proxy, Browser browser, String name, String room) {
        browser.open(proxy.base() + "?test");
        join(browser, name, room);
    }

    private static void awaitPeers(Browser browser, int peers) {
        browser.await(d -> ((List<?>) browser.state().get("peers")).size() == peers);
    }

    /** Waits until the page behind {@code proxy} has connected again (more than {@code sockets}) and is back in. */
    private static void awaitResumed(Browser browser, FreezableProxy proxy, int sockets) {
        browser.await(d -> proxy.webSockets() > sockets && "joined".equals(browser.state().get("link")));
    }

    private void join(Browser browser, String name, String room) {
        if (!browser.shows("#join-form")) {
            browser.open(testPage());
        }
        browser.joinRoom(name, room);
    }
}
