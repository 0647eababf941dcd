package dev.parley.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.history.HistoryEvent;
import dev.parley.history.HistoryEvent.CallAnswered;
import dev.parley.history.HistoryEvent.CallEnded;
import dev.parley.history.HistoryEvent.CallStarted;
import dev.parley.rooms.Member;
import dev.parley.signaling.SignalException;
import dev.parley.testing.ManualTimers;
import dev.parley.testing.MapConfig;
import dev.parley.testing.RecordingLink;
import dev.parley.testing.World;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CallLedgerTest {

    private World world;
    private CallLedger ledger;
    private RecordingLink aliceLink;
    private RecordingLink bobLink;
    private Member alice;
    private Member bob;

    @BeforeEach
    void twoParticipantsInOneRoom() {
        world = new World();
        ledger = world.calls;
        aliceLink = new RecordingLink("Firefox/140", "addr-hash-a");
        bobLink = new RecordingLink("Chrome/141", "addr-hash-b");
        alice = world.presence.join(aliceLink, "office", "Alice", null);
        bob = world.presence.join(bobLink, "office", "Bob", null);
        aliceLink.clear();
        bobLink.clear();
        world.history.events.clear();
    }

    @Test
    void firstOfferStartsRingingCallWithSenderAsCaller() {
        LiveCall call = ledger.offer(alice, bob);

        assertEquals(LiveCall.State.RINGING, call.state());
        assertSame(alice, call.caller);
        assertSame(bob, call.callee);
        assertEquals(World.START, call.startedAt);
        assertSame(call, ledger.between(bob, alice));
        CallStarted started = assertInstanceOf(CallStarted.class, world.history.events.get(0));
        assertEquals(call.id, started.callId());
        assertEquals(alice.room.id, started.roomId());
        assertEquals("office", started.roomName());
        assertEquals(alice.id, started.caller().id());
        assertEquals("Alice", started.caller().name());
        assertEquals(bob.id, started.callee().id());
        assertEquals("Bob", started.callee().name());
        assertEquals(World.START, started.at());
    }

    @Test
    void laterOfferInEitherDirectionIsRenegotiationOfTheSameCall() {
        LiveCall call = ledger.offer(alice, bob);
        world.clock.advance(Duration.ofSeconds(1));

        assertSame(call, ledger.offer(bob, alice));
        assertSame(call, ledger.offer(alice, bob));
        assertSame(alice, call.caller, "renegotiation does not swap caller and callee");
        assertEquals(1, world.history.ofType(CallStarted.class).size());
    }

    @Test
    void calleeAnswerMakesCallActiveAndMeasuresSetup() {
        LiveCall call = ledger.offer(alice, bob);
        world.clock.advance(Duration.ofMillis(1234));

        assertSame(call, ledger.answer(bob, alice));

        assertEquals(LiveCall.State.ACTIVE, call.state());
        assertEquals(World.START.plusMillis(1234), call.answeredAt());
        assertEquals(1234L, call.setupMs());
        CallAnswered answered = world.history.ofType(CallAnswered.class).get(0);
        assertEquals(call.id, answered.callId());
        assertEquals(World.START.plusMillis(1234), answered.at());
    }

    @Test
    void laterAnswersAreRenegotiationAndKeepTheFirstAnswerTime() {
        LiveCall call = ledger.offer(alice, bob);
        world.clock.advance(Duration.ofMillis(500));
        ledger.answer(bob, alice);
        world.clock.advance(Duration.ofSeconds(20));
        ledger.offer(alice, bob);
        ledger.answer(bob, alice);

        assertEquals(500L, call.setupMs());
        assertEquals(1, world.history.ofType(CallAnswered.class).size());
    }

    @Test
    void callerAnswerDoesNotActivateTheCall() {
        LiveCall call = ledger.offer(alice, bob);
        world.clock.advance(Duration.ofSeconds(1));

        assertSame(call, ledger.answer(alice, bob));

        assertEquals(LiveCall.State.RINGING, call.state());
        assertNull(call.setupMs());
        assertTrue(world.history.ofType(CallAnswered.class).isEmpty());
    }

    @Test
    void answerWithoutCallIsNoCall() {
        assertNoCall(() -> ledger.answer(bob, alice));
    }

    @Test
    void calleeRejectsRingingCall() {
        LiveCall call = ledger.offer(alice, bob);

        assertSame(call, ledger.reject(bob, alice));

        assertEquals(LiveCall.State.ENDED, call.state());
        assertEquals("rejected", call.endReason());
        assertNull(ledger.between(alice, bob));
        assertEquals("rejected", world.history.ofType(CallEnded.class).get(0).reason());
        // The caller learns of it from the relayed reject, not from call-ended.
        assertTrue(aliceLink.ofType("call-ended").isEmpty());
        assertTrue(bobLink.ofType("call-ended").isEmpty());
    }

    @Test
    void callerCannotRejectOwnCall() {
        LiveCall call = ledger.offer(alice, bob);

        assertNoCall(() -> ledger.reject(alice, bob));
        assertEquals(LiveCall.State.RINGING, call.state());
    }

    @Test
    void rejectAfterAnswerIsNoCall() {
        LiveCall call = ledger.offer(alice, bob);
        ledger.answer(bob, alice);

        assertNoCall(() -> ledger.reject(bob, alice));
        assertEquals(LiveCall.State.ACTIVE, call.state());
    }

    @Test
    void rejectWithoutCallIsNoCall() {
        assertNoCall(() -> ledger.reject(bob, alice));
    }

    @Test
    void hangupWhileRingingEndsCancelled() {
        LiveCall call = ledger.offer(alice, bob);

        assertSame(call, ledger.hangup(alice, bob));

        assertEquals("cancelled", call.endReason());
        assertEquals("cancelled", world.history.ofType(CallEnded.class).get(0).reason());
        assertEquals(0, call.durationS());
        assertTrue(bobLink.ofType("call-ended").isEmpty(), "the callee gets the relayed hangup instead");
    }

    @Test
    void hangupWhileActiveEndsHangupFromEitherSide() {
        LiveCall call = ledger.offer(alice, bob);
        ledger.answer(bob, alice);

        ledger.hangup(bob, alice);

        assertEquals("hangup", call.endReason());
        assertEquals("hangup", world.history.ofType(CallEnded.class).get(0).reason());
        assertTrue(aliceLink.ofType("call-ended").isEmpty(), "the caller gets the relayed hangup instead");
    }

    @Test
    void hangupWithoutCallIsNoCall() {
        assertNoCall(() -> ledger.hangup(alice, bob));
    }

    @Test
    void hangupOfEndedCallIsNoCall() {
        ledger.offer(alice, bob);
        ledger.hangup(alice, bob);

        assertNoCall(() -> ledger.hangup(bob, alice));
    }

    @Test
    void ringTimeoutEndsCallMissedAndTellsBothSides() {
        LiveCall call = ledger.offer(alice, bob);

        world.timers.advance(World.RING_TIMEOUT.minusMillis(1));
        assertEquals(LiveCall.State.RINGING, call.state(), "still ringing just before the timeout");

        world.timers.advance(Duration.ofMillis(1));

        assertEquals(LiveCall.State.ENDED, call.state());
        assertEquals("missed", call.endReason());
        assertNull(ledger.between(alice, bob));
        CallEnded ended = world.history.ofType(CallEnded.class).get(0);
        assertEquals("missed", ended.reason());
        assertEquals(World.START.plus(World.RING_TIMEOUT), ended.at());
        for (RecordingLink link : List.of(aliceLink, bobLink)) {
            JsonObject frame = link.only("call-ended");
            assertEquals(call.id, frame.getString("callId"));
            assertEquals("missed", frame.getString("reason"));
        }
        // Each side is told whom the call was with: a caller ringing several peers never heard this call's id before.
        assertEquals(bob.id, aliceLink.only("call-ended").getJsonObject("peer").getString("id"));
        assertEquals(alice.id, bobLink.only("call-ended").getJsonObject("peer").getString("id"));
    }

    @Test
    void ringTimerIsCountedFromTheFirstOfferNotRenegotiation() {
        LiveCall call = ledger.offer(alice, bob);
        world.timers.advance(Duration.ofSeconds(20));
        ledger.offer(bob, alice);

        world.timers.advance(Duration.ofSeconds(10));

        assertEquals("missed", call.endReason());
    }

    @Test
    void answeredCallIsNotEndedByTheRingTimer() {
        LiveCall call = ledger.offer(alice, bob);
        world.timers.advance(Duration.ofSeconds(29));
        ledger.answer(bob, alice);

        world.timers.advance(Duration.ofMinutes(5));

        assertEquals(LiveCall.State.ACTIVE, call.state());
        assertTrue(world.history.ofType(CallEnded.class).isEmpty());
        assertTrue(aliceLink.ofType("call-ended").isEmpty());
        assertTrue(bobLink.ofType("call-ended").isEmpty());
    }

    @Test
    void callerAnswerDoesNotStopTheRingTimer() {
        LiveCall call = ledger.offer(alice, bob);
        ledger.answer(alice, bob);

        world.timers.advance(World.RING_TIMEOUT);

        assertEquals("missed", call.endReason());
    }

    @Test
    void ringTimerThatFiresAfterTheCallEndedRecordsNothing() {
        LiveCall call = ledger.offer(alice, bob);
        ManualTimers.Scheduled ringTimer = world.timers.all().get(world.timers.all().size() - 1);
        ledger.reject(bob, alice);
        assertTrue(ringTimer.cancelled(), "ending the call cancels its ring timer");

        // A timer task already under way when it was cancelled still runs: it must not end the call again.
        world.clock.advance(World.RING_TIMEOUT);
        ringTimer.runAnyway();

        assertEquals("rejected", call.endReason());
        assertEquals(1, world.history.ofType(CallEnded.class).size());
        assertTrue(aliceLink.ofType("call-ended").isEmpty());
        assertTrue(bobLink.ofType("call-ended").isEmpty());
    }

    @Test
    void endingTwiceRecordsOneCallEnded() {
        LiveCall call = ledger.offer(alice, bob);
        ledger.answer(bob, alice);
        ledger.endAllOf(alice, "left");
        ledger.endAllOf(bob, "left");
        ledger.endAllIn(alice.room, "room-closed");

        assertEquals("left", call.endReason());
        assertEquals(1, world.history.ofType(CallEnded.class).size());
        assertFalse(call.end("kicked", world.clock.instant()), "a call ends once");
        assertEquals("left", call.endReason());
    }

    @Test
    void endAllOfTellsOnlyTheOtherSide() {
        LiveCall call = ledger.offer(alice, bob);
        ledger.answer(bob, alice);

        ledger.endAllOf(alice, "left");

        assertTrue(aliceLink.ofType("call-ended").isEmpty(), "the one leaving is not told");
        JsonObject frame = bobLink.only("call-ended");
        assertEquals(call.id, frame.getString("callId"));
        assertEquals("left", frame.getString("reason"));
        assertEquals("left", world.history.ofType(CallEnded.class).get(0).reason());
        assertTrue(ledger.callsOf(bob).isEmpty());
    }

    @Test
    void endAllInTellsBothSides() {
        LiveCall call = ledger.offer(alice, bob);

        ledger.endAllIn(alice.room, "server-shutdown");

        assertEquals("server-shutdown", call.endReason());
        assertEquals("server-shutdown", aliceLink.only("call-ended").getString("reason"));
        assertEquals("server-shutdown", bobLink.only("call-ended").getString("reason"));
    }

    @Test
    void endAllOfLeavesOtherPairsCallsAlone() {
        World w = new World(3, World.GRACE, MapConfig.of("parley.admin.token", "t"));
        RecordingLink cLink = new RecordingLink();
        Member a = w.presence.join(new RecordingLink(), "trio", "A", null);
        Member b = w.presence.join(new RecordingLink(), "trio", "B", null);
        Member c = w.presence.join(cLink, "trio", "C", null);
        LiveCall ab = w.calls.offer(a, b);
        LiveCall bc = w.calls.offer(b, c);
        LiveCall ca = w.calls.offer(c, a);

        w.calls.endAllOf(a, "kicked");

        assertEquals("kicked", ab.endReason());
        assertEquals("kicked", ca.endReason());
        assertEquals(LiveCall.State.RINGING, bc.state());
        assertSame(bc, w.calls.between(c, b));
        assertEquals(List.of(bc), w.calls.callsOf(b));
    }

    @Test
    void newOfferAfterCallEndedStartsANewCall() {
        LiveCall first = ledger.offer(alice, bob);
        ledger.hangup(alice, bob);

        LiveCall second = ledger.offer(bob, alice);

        assertNotEquals(first.id, second.id);
        assertSame(bob, second.caller);
        assertEquals(LiveCall.State.RINGING, second.state());
    }

    @Test
    void historyRecordsStartAnswerEndInOrderWithWholeSecondDuration() {
        LiveCall call = ledger.offer(alice, bob);
        world.clock.advance(Duration.ofMillis(2500));
        ledger.answer(bob, alice);
        world.clock.advance(Duration.ofMillis(61_700));
        ledger.hangup(alice, bob);

        List<HistoryEvent> events = world.history.events;
        assertEquals(3, events.size());
        CallStarted started = assertInstanceOf(CallStarted.class, events.get(0));
        CallAnswered answered = assertInstanceOf(CallAnswered.class, events.get(1));
        CallEnded ended = assertInstanceOf(CallEnded.class, events.get(2));
        assertEquals(call.id, started.callId());
        assertEquals(call.id, answered.callId());
        assertEquals(call.id, ended.callId());
        assertEquals(World.START, started.at());
        assertEquals(World.START.plusMillis(2500), answered.at());
        assertEquals(World.START.plusMillis(64_200), ended.at());
        assertEquals("hangup", ended.reason());
        assertEquals(61, call.durationS(), "whole seconds from answer to end, rounded down");
        assertEquals(2500L, call.setupMs());
    }

    @Test
    void unansweredCallHasZeroDurationAndNoSetupTime() {
        LiveCall call = ledger.offer(alice, bob);
        world.timers.advance(World.RING_TIMEOUT);

        assertEquals(0, call.durationS());
        assertNull(call.setupMs());
    }

    private static void assertNoCall(Executable action) {
        SignalException e = assertThrows(SignalException.class, action);
        assertEquals("no-call", e.code());
    }
}
