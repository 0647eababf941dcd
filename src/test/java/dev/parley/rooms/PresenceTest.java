package dev.parley.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.calls.LiveCall;
import dev.parley.history.HistoryEvent.CallEnded;
import dev.parley.history.HistoryEvent.ParticipantJoined;
import dev.parley.history.HistoryEvent.ParticipantLeft;
import dev.parley.history.HistoryEvent.RoomClosed;
import dev.parley.history.HistoryEvent.RoomOpened;
import dev.parley.signaling.SignalException;
import dev.parley.testing.ManualTimers;
import dev.parley.testing.MapConfig;
import dev.parley.testing.RecordingLink;
import dev.parley.testing.World;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PresenceTest {

    private World world;
    private Presence presence;

    @BeforeEach
    void setUp() {
        world = new World();
        presence = world.presence;
    }

    // --- departed participants' tokens ---------------------------------------------------------------

    /** One participant joins and leaves a room of its own; returns its last token. */
    private String comeAndGo(int i) {
        RecordingLink link = new RecordingLink();
        Member member = presence.join(link, "room-" + i, "P" + i, null);
        String token = link.only("joined").getString("resumeToken");
        presence.leave(member, "left");
        return token;
    }

    @Test
    void departedTokensAreForgottenOnceTheirWindowHasPassed() {
        String first = comeAndGo(0);
        comeAndGo(1);
        assertTrue(presence.participantOfToken(first).isPresent(), "within the window: it may still report");
        assertEquals(2, presence.departedCount());

        world.clock.advance(Presence.REPORT_WINDOW.plusSeconds(1));
        comeAndGo(2);

        assertEquals(1, presence.departedCount(), "the two expired ones went as the third departed");
    }

    @Test
    void aFloodOfDeparturesWithinTheWindowKeepsAtMostTheConfiguredNumber() {
        world = new World(2, World.GRACE, MapConfig.of("parley.admin.token", "t", "parley.resume.max-departed", "1000"));
        presence = world.presence;
        String oldest = comeAndGo(0);
        for (int i = 1; i < 3000; i++) {
            comeAndGo(i);
        }
        String newest = comeAndGo(3000);

        assertEquals(1000, presence.departedCount());
        assertTrue(presence.participantOfToken(newest).isPresent());
        assertTrue(presence.participantOfToken(oldest).isEmpty(), "the oldest made room");
    }

    // --- joining -------------------------------------------------------------------------------------

    @Test
    void joinSendsJoinedWithRoomSelfPeersCapacityIceAndResumeToken() {
        RecordingLink link = new RecordingLink();

        Member me = presence.join(link, "demo", "Alice", null);

        JsonObject joined = link.only("joined");
        assertEquals("demo", joined.getString("room"));
        assertEquals(me.id, joined.getJsonObject("self").getString("id"));
        assertEquals("Alice", joined.getJsonObject("self").getString("name"));
        assertTrue(joined.getJsonArray("peers").isEmpty());
        assertEquals(2, joined.getInt("capacity"));
        assertEquals(JsonValue.ValueType.ARRAY, joined.get("iceServers").getValueType());
        assertEquals(0, joined.getJsonNumber("iceTtl").longValue(), "no TURN configured: ttl 0");
        assertFalse(joined.getString("resumeToken").isEmpty());
        assertEquals(1, link.frames.size());
        assertTrue(presence.participantOfToken(joined.getString("resumeToken")).isPresent());
    }

    @Test
    void joinWithoutNameIsGuest() {
        RecordingLink link = new RecordingLink();

        presence.join(link, "demo", null, null);

        assertEquals("Guest", link.only("joined").getJsonObject("self").getString("name"));
    }

    @Test
    void joinRecordsRoomOpenedAndParticipantJoined() {
        Member me = presence.join(new RecordingLink("Safari/18", "addr-hash"), "demo", "Alice", "pw");

        RoomOpened opened = world.history.ofType(RoomOpened.class).get(0);
        assertEquals("demo", opened.name());
        assertEquals(me.room.id, opened.roomId());
        assertTrue(opened.hasPassword());
        ParticipantJoined joined = world.history.ofType(ParticipantJoined.class).get(0);
        assertEquals(me.id, joined.id());
        assertEquals("Alice", joined.name());
        assertEquals("Safari/18", joined.userAgent());
        assertEquals("addr-hash", joined.clientAddress());
        assertEquals(World.START, joined.at());
    }

    @Test
    void secondJoinerIsAnnouncedToTheFirstAndSeesItAsPeer() {
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);

        Member bob = presence.join(bobLink, "demo", "Bob", null);

        JsonObject peerJoined = aliceLink.only("peer-joined").getJsonObject("peer");
        assertEquals(bob.id, peerJoined.getString("id"));
        assertEquals("Bob", peerJoined.getString("name"));
        JsonArray peers = bobLink.only("joined").getJsonArray("peers");
        assertEquals(1, peers.size());
        assertEquals(alice.id, peers.getJsonObject(0).getString("id"));
        assertEquals("Alice", peers.getJsonObject(0).getString("name"));
        assertTrue(bobLink.ofType("peer-joined").isEmpty(), "a joiner is not announced to itself");
        assertNotEquals(alice.id, bob.id);
    }

    @Test
    void bothSidesOfEveryPairGetOppositePoliteFlags() {
        presence.create("trio", 3, null);
        RecordingLink a = new RecordingLink();
        RecordingLink b = new RecordingLink();
        RecordingLink c = new RecordingLink();
        Member ma = presence.join(a, "trio", "A", null);
        Member mb = presence.join(b, "trio", "B", null);
        Member mc = presence.join(c, "trio", "C", null);

        // What each side was told about the other: from peer-joined (earlier joiner) or joined (later joiner).
        assertOpposite(politeIn(a.ofType("peer-joined"), mb.id), politeInJoined(b, ma.id));
        assertOpposite(politeIn(a.ofType("peer-joined"), mc.id), politeInJoined(c, ma.id));
        assertOpposite(politeIn(b.ofType("peer-joined"), mc.id), politeInJoined(c, mb.id));
    }

    @Test
    void roomNamesAreCaseFolded() {
        RecordingLink second = new RecordingLink();
        Member first = presence.join(new RecordingLink(), "Demo", "A", null);

        Member other = presence.join(second, "DEMO", "B", null);

        assertSame(first.room, other.room);
        assertEquals("demo", first.room.name);
        assertEquals("demo", second.only("joined").getString("room"));
        assertTrue(presence.room("demo").isPresent());
    }

    @Test
    void joinWithoutRoomPicksAFreshValidNameEachTime() {
        RecordingLink l1 = new RecordingLink();
        RecordingLink l2 = new RecordingLink();

        Member m1 = presence.join(l1, null, "A", null);
        Member m2 = presence.join(l2, null, "B", null);

        String n1 = l1.only("joined").getString("room");
        String n2 = l2.only("joined").getString("room");
        assertTrue(n1.matches("[a-z0-9-]+"), n1);
        assertTrue(n2.matches("[a-z0-9-]+"), n2);
        assertEquals(Optional.of(n1), RoomNames.normalize(n1), "a picked name can be joined by name");
        assertNotEquals(n1, n2);
        assertNotEquals(m1.room, m2.room);
        assertTrue(n1.length() >= 20, "unguessable: long enough to carry real entropy");
    }

    @Test
    void fullRoomRefusesWithRoomFull() {
        presence.join(new RecordingLink(), "demo", "A", null);
        presence.join(new RecordingLink(), "demo", "B", null);
        RecordingLink third = new RecordingLink();

        assertCode("room-full", () -> presence.join(third, "demo", "C", null));
        assertTrue(third.frames.isEmpty());
        assertEquals(2, presence.room("demo").orElseThrow().members().size());
    }

    @Test
    void createdRoomCapacityIsUsed() {
        presence.create("big", 3, null);
        presence.join(new RecordingLink(), "big", "A", null);
        presence.join(new RecordingLink(), "big", "B", null);
        RecordingLink third = new RecordingLink();

        presence.join(third, "big", "C", null);

        assertEquals(3, third.only("joined").getInt("capacity"));
        assertCode("room-full", () -> presence.join(new RecordingLink(), "big", "D", null));
    }

    @Test
    void creatingAnExistingRoomIsRefused() {
        assertTrue(presence.create("taken", 2, null).isPresent());
        presence.join(new RecordingLink(), "other", "A", null);

        assertTrue(presence.create("taken", 2, null).isEmpty());
        assertTrue(presence.create("other", 2, null).isEmpty());
    }

    @Test
    void passwordSetAtCreationIsRequired() {
        presence.create("locked", 2, "s3cret");

        assertCode("wrong-password", () -> presence.join(new RecordingLink(), "locked", "A", null));
        assertCode("wrong-password", () -> presence.join(new RecordingLink(), "locked", "A", "S3CRET"));
        RecordingLink ok = new RecordingLink();
        presence.join(ok, "locked", "A", "s3cret");
        assertEquals("locked", ok.only("joined").getString("room"));
    }

    @Test
    void passwordOfTheFirstJoinerIsRequiredOfLaterJoiners() {
        presence.join(new RecordingLink(), "club", "A", "door");

        assertCode("wrong-password", () -> presence.join(new RecordingLink(), "club", "B", null));
        assertCode("wrong-password", () -> presence.join(new RecordingLink(), "club", "B", "window"));
        presence.join(new RecordingLink(), "club", "B", "door");
        assertEquals(2, presence.room("club").orElseThrow().members().size());
    }

    @Test
    void roomWithoutPasswordIgnoresAGivenOne() {
        presence.join(new RecordingLink(), "open", "A", null);

        presence.join(new RecordingLink(), "open", "B", "anything");

        assertEquals(2, presence.room("open").orElseThrow().members().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "ѕtudio", "\u212A", "under_score", "",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidRoomNamesAreRefused(String name) {
        RecordingLink link = new RecordingLink();

        assertCode("invalid-room", () -> presence.join(link, name, "A", null));
        assertTrue(presence.rooms().isEmpty());
        assertTrue(link.frames.isEmpty());
    }

    @Test
    void sixtyFourCharacterRoomNameIsAccepted() {
        String name = "a".repeat(64);
        RecordingLink link = new RecordingLink();

        presence.join(link, name, "A", null);

        assertEquals(name, link.only("joined").getString("room"));
    }

    // --- resume ------------------------------------------------------------------------------------

    @Test
    void aGraceTimerThatFiredAsAResumeCancelledItDoesNotCutShortTheNextDropsGrace() {
        RecordingLink first = new RecordingLink();
        Member alice = presence.join(first, "demo", "Alice", null);
        RecordingLink bobLink = new RecordingLink();
        presence.join(bobLink, "demo", "Bob", null);
        presence.dropped(alice, first);
        ManualTimers.Scheduled firstGrace = world.timers.all().get(world.timers.all().size() - 1);
        RecordingLink second = new RecordingLink();
        presence.resume(second, first.only("joined").getString("resumeToken"));
        presence.dropped(alice, second); // the resumed socket closed at once: a new grace

        firstGrace.runAnyway(); // it had fired, and waited for the room, as the resume cancelled it

        assertFalse(alice.isGone(), "Alice keeps her seat for the new grace");
        assertEquals(List.of(), bobLink.ofType("peer-left"));
        world.timers.advance(World.GRACE);
        assertTrue(alice.isGone());
        assertEquals("disconnected", bobLink.only("peer-left").getString("reason"));
    }

    @Test
    void resumeRestoresTheSameParticipantWithANewToken() {
        RecordingLink first = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(first, "demo", "Alice", null);
        Member bob = presence.join(bobLink, "demo", "Bob", null);
        String oldToken = first.only("joined").getString("resumeToken");
        presence.dropped(alice, first);
        RecordingLink second = new RecordingLink();

        Member resumed = presence.resume(second, oldToken);

        assertSame(alice, resumed);
        JsonObject joined = second.only("joined");
        assertEquals(alice.id, joined.getJsonObject("self").getString("id"));
        assertEquals("demo", joined.getString("room"));
        assertEquals(bob.id, joined.getJsonArray("peers").getJsonObject(0).getString("id"));
        String newToken = joined.getString("resumeToken");
        assertNotEquals(oldToken, newToken);
        assertCode("unauthorized", () -> presence.resume(new RecordingLink(), oldToken));
        assertEquals(Optional.of(alice.id), presence.participantOfToken(newToken));
        assertTrue(presence.participantOfToken(oldToken).isEmpty(), "only the latest token identifies");
    }

    @Test
    void resumeKeepsThePoliteRoles() {
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        presence.join(aliceLink, "demo", "Alice", null);
        Member bob = presence.join(bobLink, "demo", "Bob", null);
        boolean bobPolite = bobLink.only("joined").getJsonArray("peers").getJsonObject(0).getBoolean("polite");
        presence.dropped(bob, bobLink);
        RecordingLink again = new RecordingLink();

        presence.resume(again, bobLink.only("joined").getString("resumeToken"));

        assertEquals(bobPolite, again.only("joined").getJsonArray("peers").getJsonObject(0).getBoolean("polite"));
    }

    @Test
    void unknownResumeTokenIsUnauthorized() {
        assertCode("unauthorized", () -> presence.resume(new RecordingLink(), "no-such-token"));
    }

    @Test
    void resumeWhileOldLinkIsOpenClosesItWith4000AndPeersSeeNothing() {
        RecordingLink old = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(old, "demo", "Alice", null);
        presence.join(bobLink, "demo", "Bob", null);
        bobLink.clear();
        RecordingLink fresh = new RecordingLink();

        presence.resume(fresh, old.only("joined").getString("resumeToken"));

        assertEquals(List.of(4000), old.closeCodes);
        assertTrue(old.detached, "the replaced link's closing must not count as a drop");
        assertTrue(bobLink.frames.isEmpty(), "peers see neither peer-left nor peer-joined");
        // The replaced link closing later is not a drop of the participant.
        presence.dropped(alice, old);
        world.timers.advance(World.GRACE.plusSeconds(1));
        assertTrue(bobLink.frames.isEmpty());
        assertTrue(alice.connected());
    }

    @Test
    void resumeKeepsTheCallsInProgress() {
        RecordingLink aliceLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        Member bob = presence.join(new RecordingLink(), "demo", "Bob", null);
        LiveCall call = world.calls.offer(alice, bob);
        world.calls.answer(bob, alice);
        presence.dropped(alice, aliceLink);
        world.timers.advance(Duration.ofSeconds(5));

        presence.resume(new RecordingLink(), aliceLink.only("joined").getString("resumeToken"));
        world.timers.advance(Duration.ofMinutes(1));

        assertSame(call, world.calls.between(alice, bob));
        assertEquals(LiveCall.State.ACTIVE, call.state());
    }

    // --- dropping ----------------------------------------------------------------------------------

    @Test
    void droppedParticipantIsRemovedAfterGraceAndItsCallEndsDisconnected() {
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        Member bob = presence.join(bobLink, "demo", "Bob", null);
        LiveCall call = world.calls.offer(alice, bob);
        world.calls.answer(bob, alice);
        bobLink.clear();

        presence.dropped(alice, aliceLink);
        world.timers.advance(World.GRACE.minusMillis(1));
        assertTrue(bobLink.frames.isEmpty(), "nothing happens within the grace");
        assertTrue(presence.room("demo").orElseThrow().members().contains(alice), "the seat is kept");

        world.timers.advance(Duration.ofMillis(1));

        JsonObject peerLeft = bobLink.only("peer-left");
        assertEquals(alice.id, peerLeft.getJsonObject("peer").getString("id"));
        assertEquals("disconnected", peerLeft.getString("reason"));
        assertEquals("disconnected", call.endReason());
        assertEquals("disconnected", bobLink.only("call-ended").getString("reason"));
        CallEnded ended = world.history.ofType(CallEnded.class).get(0);
        assertEquals(call.id, ended.callId());
        assertEquals("disconnected", ended.reason());
        assertEquals("disconnected", world.history.ofType(ParticipantLeft.class).get(0).reason());
        assertFalse(presence.room("demo").orElseThrow().members().contains(alice));
    }

    @Test
    void droppedParticipantKeepsItsSeatAgainstCapacity() {
        RecordingLink aliceLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        presence.join(new RecordingLink(), "demo", "Bob", null);

        presence.dropped(alice, aliceLink);

        assertFalse(alice.connected());
        assertCode("room-full", () -> presence.join(new RecordingLink(), "demo", "Carol", null));
    }

    @Test
    void framesForADroppedParticipantAreDiscarded() {
        RecordingLink aliceLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        presence.dropped(alice, aliceLink);
        aliceLink.clear();

        presence.join(new RecordingLink(), "demo", "Bob", null);

        assertTrue(aliceLink.frames.isEmpty());
    }

    @Test
    void droppedThenResumedWithinGraceIsNotAnnouncedAsLeft() {
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        presence.join(bobLink, "demo", "Bob", null);
        bobLink.clear();
        presence.dropped(alice, aliceLink);
        world.timers.advance(World.GRACE.minusSeconds(1));

        presence.resume(new RecordingLink(), aliceLink.only("joined").getString("resumeToken"));
        world.timers.advance(Duration.ofMinutes(1));

        assertTrue(bobLink.ofType("peer-left").isEmpty());
        assertTrue(presence.room("demo").orElseThrow().members().contains(alice));
        assertTrue(world.history.ofType(ParticipantLeft.class).isEmpty());
    }

    @Test
    void resumeAfterGraceIsUnauthorized() {
        RecordingLink aliceLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        presence.join(new RecordingLink(), "demo", "Bob", null);
        presence.dropped(alice, aliceLink);
        world.timers.advance(World.GRACE);

        assertCode("unauthorized",
                () -> presence.resume(new RecordingLink(), aliceLink.only("joined").getString("resumeToken")));
    }

    @Test
    void zeroGraceRemovesADroppedParticipantAtOnce() {
        World w = new World(2, Duration.ZERO, MapConfig.of("parley.admin.token", "t"));
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = w.presence.join(aliceLink, "demo", "Alice", null);
        w.presence.join(bobLink, "demo", "Bob", null);

        w.presence.dropped(alice, aliceLink);

        assertEquals("disconnected", bobLink.only("peer-left").getString("reason"));
    }

    // --- leaving, kicking, closing -----------------------------------------------------------------

    @Test
    void leaveAnnouncesPeerLeftWithReasonLeft() {
        Member alice = presence.join(new RecordingLink(), "demo", "Alice", null);
        RecordingLink bobLink = new RecordingLink();
        Member bob = presence.join(bobLink, "demo", "Bob", null);
        LiveCall call = world.calls.offer(bob, alice);

        presence.leave(alice, "left");

        JsonObject peerLeft = bobLink.only("peer-left");
        assertEquals(alice.id, peerLeft.getJsonObject("peer").getString("id"));
        assertEquals("left", peerLeft.getString("reason"));
        assertEquals("left", call.endReason());
        assertEquals("left", bobLink.only("call-ended").getString("reason"));
        assertEquals(List.of(bob), List.copyOf(presence.room("demo").orElseThrow().members()));
    }

    @Test
    void leavingTwiceAnnouncesOnce() {
        Member alice = presence.join(new RecordingLink(), "demo", "Alice", null);
        RecordingLink bobLink = new RecordingLink();
        presence.join(bobLink, "demo", "Bob", null);

        presence.leave(alice, "left");
        presence.leave(alice, "left");

        assertEquals(1, bobLink.ofType("peer-left").size());
        assertEquals(1, world.history.ofType(ParticipantLeft.class).size());
    }

    @Test
    void kickClosesWith4001AnnouncesKickedAndRevokesTheToken() {
        RecordingLink aliceLink = new RecordingLink();
        RecordingLink bobLink = new RecordingLink();
        Member alice = presence.join(aliceLink, "demo", "Alice", null);
        Member bob = presence.join(bobLink, "demo", "Bob", null);
        LiveCall call = world.calls.offer(alice, bob);
        world.calls.answer(bob, alice);

        assertTrue(presence.kick("demo", alice.id));

        assertEquals(List.of(4001), aliceLink.closeCodes);
        assertTrue(aliceLink.detached);
        JsonObject peerLeft = bobLink.only("peer-left");
        assertEquals(alice.id, peerLeft.getJsonObject("peer").getString("id"));
        assertEquals("kicked", peerLeft.getString("reason"));
        assertEquals("kicked", call.endReason());
        assertEquals("kicked", bobLink.only("call-ended").getString("reason"));
        assertTrue(aliceLink.ofType("call-ended").isEmpty());
        assertCode("unauthorized",
                () -> presence.resume(new RecordingLink(), aliceLink.only("joined").getString("resumeToken")));
    }

    @Test
    void kickOfUnknownParticipantOrRoomIsFalse() {
        presence.join(new RecordingLink(), "demo", "Alice", null);

        assertFalse(presence.kick("demo", "nobody"));
        assertFalse(presence.kick("nowhere", "nobody"));
    }

    @Test
    void closeRoomTellsEveryoneClosesThemAndEndsCalls() {
        presence.create("meeting", 3, null);
        RecordingLink a = new RecordingLink();
        RecordingLink b = new RecordingLink();
        RecordingLink c = new RecordingLink();
        Member ma = presence.join(a, "meeting", "A", null);
        Member mb = presence.join(b, "meeting", "B", null);
        Member mc = presence.join(c, "meeting", "C", null);
        LiveCall call = world.calls.offer(ma, mb);
        world.calls.answer(mb, ma);
        String tokenOfA = findToken(a);
        for (RecordingLink l : List.of(a, b, c)) {
            l.clear();
        }

        assertTrue(presence.close("meeting", "room-closed"));

        assertPeerLeft(a, "room-closed", mb.id, mc.id);
        assertPeerLeft(b, "room-closed", ma.id, mc.id);
        assertPeerLeft(c, "room-closed", ma.id, mb.id);
        for (RecordingLink l : List.of(a, b, c)) {
            assertEquals(List.of(4001), l.closeCodes);
            assertTrue(l.detached);
        }
        assertEquals("room-closed", call.endReason());
        assertEquals("room-closed", world.history.ofType(CallEnded.class).get(0).reason());
        assertEquals("room-closed", a.only("call-ended").getString("reason"));
        assertEquals("room-closed", b.only("call-ended").getString("reason"));
        assertTrue(presence.room("meeting").isEmpty());
        assertEquals(1, world.history.ofType(RoomClosed.class).size());
        assertCode("unauthorized",
                () -> presence.resume(new RecordingLink(), tokenOfA));
    }

    @Test
    void shutdownClosesWith1001() {
        RecordingLink a = new RecordingLink();
        presence.join(a, "demo", "A", null);

        presence.closeAll("server-shutdown");

        assertEquals(List.of(1001), a.closeCodes);
        assertTrue(presence.rooms().isEmpty());
    }

    @Test
    void closingUnknownRoomIsFalse() {
        assertFalse(presence.close("nowhere", "room-closed"));
    }

    @Test
    void roomDisappearsWhenItsLastParticipantLeaves() {
        Member alice = presence.join(new RecordingLink(), "demo", "Alice", null);
        Member bob = presence.join(new RecordingLink(), "demo", "Bob", null);

        presence.leave(alice, "left");
        assertEquals(List.of("demo"), presence.rooms().stream().map(r -> r.name).toList());

        presence.leave(bob, "left");
        assertTrue(presence.rooms().isEmpty());
        assertTrue(presence.room("demo").isEmpty());
        assertEquals(1, world.history.ofType(RoomClosed.class).size());
    }

    @Test
    void roomOfADroppedLastParticipantClosesOnlyAfterTheGrace() {
        RecordingLink link = new RecordingLink();
        Member alice = presence.join(link, "demo", "Alice", null);
        presence.dropped(alice, link);

        world.timers.advance(World.GRACE.minusSeconds(1));
        assertTrue(presence.room("demo").isPresent());

        world.timers.advance(Duration.ofSeconds(1));
        assertTrue(presence.rooms().isEmpty());
    }

    @Test
    void aNameIsFreeAgainOnceItsRoomClosed() {
        Member alice = presence.join(new RecordingLink(), "demo", "Alice", "old");
        LiveRoom first = alice.room;
        presence.leave(alice, "left");

        Member again = presence.join(new RecordingLink(), "demo", "Bob", null);

        assertNotEquals(first.id, again.room.id);
        assertFalse(again.room.hasPassword());
    }

    @Test
    void createdRoomIsListedWhileEmptyAndClosesAfterIdleTtl() {
        presence.create("later", 2, null);
        assertEquals(List.of("later"), presence.rooms().stream().map(r -> r.name).toList());

        world.timers.advance(World.IDLE_TTL.minusSeconds(1));
        assertTrue(presence.room("later").isPresent());
        world.timers.advance(Duration.ofSeconds(1));

        assertTrue(presence.room("later").isEmpty());
    }

    @Test
    void joinedCreatedRoomIsNotClosedByTheIdleTtl() {
        presence.create("later", 2, null);
        presence.join(new RecordingLink(), "later", "A", null);

        world.timers.advance(World.IDLE_TTL.plusHours(1));

        assertTrue(presence.room("later").isPresent());
    }

    // --- tokens for quality reports ----------------------------------------------------------------

    @Test
    void participantOfTokenWorksWhilePresentAndTenMinutesAfterLeaving() {
        RecordingLink link = new RecordingLink();
        Member alice = presence.join(link, "demo", "Alice", null);
        presence.join(new RecordingLink(), "demo", "Bob", null);
        String token = link.only("joined").getString("resumeToken");
        assertEquals(Optional.of(alice.id), presence.participantOfToken(token));

        presence.leave(alice, "left");
        world.clock.advance(Duration.ofMinutes(10));
        assertEquals(Optional.of(alice.id), presence.participantOfToken(token), "still valid at 10 minutes");

        world.clock.advance(Duration.ofMillis(1));
        assertTrue(presence.participantOfToken(token).isEmpty(), "not after 10 minutes");
    }

    @Test
    void participantOfUnknownTokenIsEmpty() {
        assertTrue(presence.participantOfToken("made-up").isEmpty());
    }

    @Test
    void leftParticipantsTokenDoesNotResume() {
        RecordingLink link = new RecordingLink();
        Member alice = presence.join(link, "demo", "Alice", null);
        presence.join(new RecordingLink(), "demo", "Bob", null);
        presence.leave(alice, "left");

        assertCode("unauthorized",
                () -> presence.resume(new RecordingLink(), link.only("joined").getString("resumeToken")));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static String findToken(RecordingLink link) {
        return link.frames.stream().filter(f -> f.getString("type").equals("joined")).findFirst().orElseThrow()
                .getString("resumeToken");
    }

    private static void assertPeerLeft(RecordingLink link, String reason, String... ids) {
        List<JsonObject> left = link.ofType("peer-left");
        assertEquals(List.of(ids).stream().sorted().toList(),
                left.stream().map(f -> f.getJsonObject("peer").getString("id")).sorted().toList());
        for (JsonObject f : left) {
            assertEquals(reason, f.getString("reason"));
        }
    }

    private static boolean politeIn(List<JsonObject> peerJoinedFrames, String peerId) {
        return peerJoinedFrames.stream().map(f -> f.getJsonObject("peer"))
                .filter(p -> p.getString("id").equals(peerId)).findFirst().orElseThrow().getBoolean("polite");
    }

    private static boolean politeInJoined(RecordingLink link, String peerId) {
        return link.only("joined").getJsonArray("peers").stream().map(JsonValue::asJsonObject)
                .filter(p -> p.getString("id").equals(peerId)).findFirst().orElseThrow().getBoolean("polite");
    }

    private static void assertOpposite(boolean one, boolean other) {
        assertNotEquals(one, other, "one side of a pair must be polite, the other impolite");
    }

    private static void assertCode(String code, Executable action) {
        SignalException e = assertThrows(SignalException.class, action);
        assertEquals(code, e.code());
        assertNotNull(e.getMessage());
    }
}
