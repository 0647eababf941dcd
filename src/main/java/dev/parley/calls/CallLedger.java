package dev.parley.calls;

import dev.parley.history.HistoryEvent;
import dev.parley.history.HistorySink;
import dev.parley.rooms.LiveRoom;
import dev.parley.rooms.Member;
import dev.parley.rooms.RandomIds;
import dev.parley.signaling.Frames;
import dev.parley.signaling.SignalException;
import dev.parley.time.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Owns the calls in progress: starts one on the first offer between two participants, makes it active on
 * the callee's answer, and ends it exactly once (hangup, reject, ring timeout, or a side going away).
 * Every method runs under the room's monitor; it records each change as a history event.
 */
public final class CallLedger {

    private static final Logger LOG = Logger.getLogger(CallLedger.class.getName());

    private final Clock clock;
    private final Timers timers;
    private final HistorySink history;
    private final Duration ringTimeout;

    public CallLedger(Clock clock, Timers timers, HistorySink history, Duration ringTimeout) {
        this.clock = clock;
        this.timers = timers;
        this.history = history;
        this.ringTimeout = ringTimeout;
    }

    public LiveCall between(Member a, Member b) {
        return a.room.calls.get(LiveRoom.callKey(a.id, b.id));
    }

    /** The call an offer belongs to: the one in progress, or a new ringing call with the sender as caller. */
    public LiveCall offer(Member from, Member to) {
        LiveCall call = between(from, to);
        if (call != null) {
            return call;
        }
        LiveRoom room = from.room;
        call = new LiveCall(RandomIds.callId(), from, to, clock.instant());
        room.calls.put(LiveRoom.callKey(from.id, to.id), call);
        history.record(new HistoryEvent.CallStarted(call.id, room.id, room.name, side(from), side(to), call.startedAt));
        LiveCall ringing = call;
        LOG.info(() -> "Call started room=" + room.name + " call=" + ringing.id);
        call.ringTimer = timers.schedule(ringTimeout, () -> {
            synchronized (room) {
                if (ringing.state() == LiveCall.State.RINGING) {
                    end(ringing, "missed", null);
                }
            }
        });
        return call;
    }

    public LiveCall answer(Member from, Member to) {
        LiveCall call = required(from, to);
        if (call.answer(from, clock.instant())) {
            call.ringTimer.cancel();
            history.record(new HistoryEvent.CallAnswered(call.id, call.answeredAt()));
            LOG.info(() -> "Call answered room=" + from.room.name + " call=" + call.id + " setupMs=" + call.setupMs());
        }
        return call;
    }

    /** Only the callee may reject, and only while the call rings. */
    public LiveCall reject(Member from, Member to) {
        LiveCall call = between(from, to);
        if (call == null || call.state() != LiveCall.State.RINGING || call.callee != from) {
            throw new SignalException("no-call", "no ringing call from that peer to reject");
        }
        end(call, "rejected", from);
        return call;
    }

    public LiveCall hangup(Member from, Member to) {
        LiveCall call = required(from, to);
        end(call, call.hangupReason(), from);
        return call;
    }

    /** Ends every call of a participant who is going away; the other sides get {@code call-ended}. */
    public void endAllOf(Member leaving, String reason) {
        for (LiveCall call : new ArrayList<>(leaving.room.calls.values())) {
            if (call.involves(leaving)) {
                end(call, reason, leaving);
            }
        }
    }

    /** Ends every call in the room (room closed, server shutdown); both sides are told. */
    public void endAllIn(LiveRoom room, String reason) {
        for (LiveCall call : new ArrayList<>(room.calls.values())) {
            end(call, reason, null);
        }
    }

    public List<LiveCall> callsOf(Member member) {
        List<LiveCall> calls = new ArrayList<>();
        for (LiveCall call : member.room.calls.values()) {
            if (call.involves(member)) {
                calls.add(call);
            }
        }
        return calls;
    }

    /**
     * Ends a call once. {@code cause} is the side whose own message or departure ended it: it is not sent
     * {@code call-ended}; for a hangup or reject the other side gets the relayed message instead.
     */
    private void end(LiveCall call, String reason, Member cause) {
        Instant now = clock.instant();
        if (!call.end(reason, now)) {
            return;
        }
        LiveRoom room = call.caller.room;
        room.calls.remove(LiveRoom.callKey(call.caller.id, call.callee.id));
        history.record(new HistoryEvent.CallEnded(call.id, reason, now));
        LOG.info(() -> "Call ended room=" + room.name + " call=" + call.id + " reason=" + reason);
        boolean relayedInstead = reason.equals("hangup") || reason.equals("cancelled") || reason.equals("rejected");
        if (relayedInstead) {
            return;
        }
        for (Member side : List.of(call.caller, call.callee)) {
            if (side != cause && !side.isGone()) {
                side.send(Frames.callEnded(call.id, reason, call.other(side).id));
            }
        }
    }

    private static HistoryEvent.Side side(Member m) {
        return new HistoryEvent.Side(m.id, m.name, m.userAgent, m.clientAddress);
    }

    private LiveCall required(Member from, Member to) {
        LiveCall call = between(from, to);
        if (call == null) {
            throw new SignalException("no-call", "no call in progress with that peer");
        }
        return call;
    }
}
