package dev.parley.calls;

import dev.parley.rooms.Member;
import dev.parley.time.Timers;
import java.time.Duration;
import java.time.Instant;

/**
 * One call in progress and its state machine: ringing, then active once the callee answers, then ended,
 * exactly once whatever races to end it. Guarded by the room's monitor.
 */
public final class LiveCall {

    public enum State { RINGING, ACTIVE, ENDED }

    public final String id;
    public final Member caller;
    public final Member callee;
    public final Instant startedAt;
    private State state = State.RINGING;
    private Instant answeredAt;
    private Instant endedAt;
    private String endReason;
    /** The caller's latest offer frame while the call rings: sent again to a callee that resumes (see offerFor). */
    private String ringingOffer;
    /** Who sent the latest offer while the call rang: the callee too, when both offered at once (glare). */
    private Member lastOfferer;
    Timers.Timer ringTimer = Timers.NONE;

    public LiveCall(String id, Member caller, Member callee, Instant startedAt) {
        this.id = id;
        this.caller = caller;
        this.callee = callee;
        this.startedAt = startedAt;
    }

    public State state() {
        return state;
    }

    /**
     * The first answer to the other side's offer makes the call active: the callee's, or, when both offered at once,
     * the caller's to the callee's offer (a polite caller that rolled its own back, as perfect negotiation has it).
     * Later answers are renegotiation.
     */
    public boolean answer(Member from, Instant at) {
        boolean toTheOthersOffer = from == callee || from == caller && lastOfferer == callee;
        if (state != State.RINGING || !toTheOthersOffer) {
            return false;
        }
        state = State.ACTIVE;
        answeredAt = at;
        ringingOffer = null;
        return true;
    }

    /** Notes who offered while the call rings, and keeps {@code frame}, the relayed offer, if it is the caller's. */
    public void offered(Member from, String frame) {
        if (state != State.RINGING) {
            return;
        }
        lastOfferer = from;
        if (from == caller) {
            ringingOffer = frame;
        }
    }

    /**
     * The offer to send again to {@code resumed} if it is the callee of this ringing call, else null. What was sent
     * to a participant whose link was down is lost; without the offer, a callee that comes back could not ring.
     */
    public String offerFor(Member resumed) {
        return state == State.RINGING && resumed == callee ? ringingOffer : null;
    }

    /** Ends the call; returns false when it had already ended, so racing ends record one end only. */
    public boolean end(String reason, Instant at) {
        if (state == State.ENDED) {
            return false;
        }
        state = State.ENDED;
        endedAt = at;
        endReason = reason;
        ringingOffer = null;
        ringTimer.cancel();
        return true;
    }

    /** What ending the call by a hangup means: a call still ringing is cancelled, an active one hung up. */
    public String hangupReason() {
        return state == State.RINGING ? "cancelled" : "hangup";
    }

    public Member other(Member side) {
        return side == caller ? callee : caller;
    }

    public boolean involves(Member m) {
        return m == caller || m == callee;
    }

    public String endReason() {
        return endReason;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    /** answeredAt − startedAt, or null if never answered. */
    public Long setupMs() {
        return answeredAt == null ? null : Duration.between(startedAt, answeredAt).toMillis();
    }

    /** Whole seconds from answer to end; 0 if never answered. */
    public long durationS() {
        return answeredAt == null || endedAt == null ? 0 : Duration.between(answeredAt, endedAt).getSeconds();
    }
}
