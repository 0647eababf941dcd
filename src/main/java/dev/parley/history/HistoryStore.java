package dev.parley.history;

import dev.parley.calls.Call;
import dev.parley.db.Dialect;
import dev.parley.reports.CallRollup;
import dev.parley.reports.CallRollupChanges;
import dev.parley.rooms.Participant;
import dev.parley.rooms.Room;
import dev.parley.webhooks.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Applies history events to the database, each batch in one transaction. Called only by {@link HistoryWriter}. */
@ApplicationScoped
public class HistoryStore {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    WebhookOutbox webhooks;
    @Inject
    Dialect dialect;

    @Transactional
    public void apply(List<HistoryEvent> batch, String instanceId) {
        CallRollupChanges rollup = new CallRollupChanges();
        for (HistoryEvent event : batch) {
            boolean changed = apply(event, instanceId, rollup);
            if (event instanceof HistoryEvent.RoomOpened) {
                // Written at once, so that its seats and calls can refer to it whatever order the JPA provider
                // writes the rest in. Not after every event: each flush compares every entity the batch holds.
                em.flush();
            }
            if (changed) { // an event written twice (a batch retried event by event) is announced once
                webhooks.add(event);
            }
        }
        em.flush(); // the calls' rows, locked before their hours' (see CallRollup)
        rollup.write(em, new CallRollup(dialect.isH2()));
    }

    /**
     * Closes what a dead instance left open: its calls and seats end with {@code reason} ({@code server-restart}
     * when it starts again, {@code disconnected} when a surviving instance of a cluster finds it gone), its rooms close.
     */
    @Transactional
    public int closeUnfinished(String instanceId, Instant now, String reason) {
        LocalDateTime at = utc(now);
        List<Call> open = em.createQuery("select c from Call c where c.status <> 'ended' and c.instanceId = :i", Call.class)
                .setParameter("i", instanceId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        CallRollupChanges rollup = new CallRollupChanges();
        for (Call call : open) {
            rollup.changing(call);
            end(call, reason, at);
        }
        em.flush();
        for (Call call : open) {
            webhooks.add(new HistoryEvent.CallEnded(call.id, reason, now));
        }
        rollup.write(em, new CallRollup(dialect.isH2()));
        // One by one, not in bulk, so that webhook receivers hear of each seat and room as they would have live.
        // Locked, as the calls are, so that two closers (a survivor, and the instance itself restarting) announce each once.
        for (Participant p : em.createQuery("select p from Participant p where p.leftAt is null and p.instanceId = :i",
                Participant.class).setParameter("i", instanceId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            p.leftAt = at;
            p.leaveReason = reason;
            webhooks.add(new HistoryEvent.ParticipantLeft(p.id, reason, now));
        }
        for (Room room : em.createQuery("select r from Room r where r.closedAt is null and r.instanceId = :i", Room.class)
                .setParameter("i", instanceId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            room.closedAt = at;
            webhooks.add(new HistoryEvent.RoomClosed(room.id, now));
        }
        return open.size();
    }

    /** Applies one event, naming the calls it creates or changes to {@code rollup}; false if it changed nothing. */
    private boolean apply(HistoryEvent event, String instanceId, CallRollupChanges rollup) {
        if (event instanceof HistoryEvent.RoomOpened e) {
            Room room = new Room();
            room.id = e.roomId();
            room.name = e.name();
            room.capacity = e.capacity();
            room.hasPassword = e.hasPassword();
            room.createdAt = utc(e.at());
            room.instanceId = instanceId;
            em.persist(room);
            return true;
        } else if (event instanceof HistoryEvent.RoomClosed e) {
            Room room = em.find(Room.class, e.roomId());
            if (room != null && room.closedAt == null) {
                room.closedAt = utc(e.at());
                return true;
            }
        } else if (event instanceof HistoryEvent.ParticipantJoined e) {
            Participant p = new Participant();
            p.id = e.id();
            p.roomId = e.roomId();
            p.roomName = e.roomName();
            p.displayName = e.name();
            p.userAgent = e.userAgent();
            p.clientAddress = e.clientAddress();
            p.joinedAt = utc(e.at());
            p.instanceId = instanceId;
            em.persist(p);
            return true;
        } else if (event instanceof HistoryEvent.ParticipantLeft e) {
            Participant p = em.find(Participant.class, e.id());
            if (p != null && p.leftAt == null) {
                p.leftAt = utc(e.at());
                p.leaveReason = e.reason();
                return true;
            }
        } else if (event instanceof HistoryEvent.CallStarted e) {
            Call call = new Call();
            call.id = e.callId();
            call.roomId = e.roomId();
            call.roomName = e.roomName();
            call.callerId = e.caller().id();
            call.callerName = e.caller().name();
            call.callerUserAgent = e.caller().userAgent();
            call.callerAddress = e.caller().clientAddress();
            call.calleeId = e.callee().id();
            call.calleeName = e.callee().name();
            call.calleeUserAgent = e.callee().userAgent();
            call.calleeAddress = e.callee().clientAddress();
            call.status = "ringing";
            call.startedAt = utc(e.at());
            call.durationS = 0L;
            call.instanceId = instanceId;
            em.persist(call);
            rollup.added(call);
            return true;
        } else if (event instanceof HistoryEvent.CallAnswered e) {
            Call call = findLocked(e.callId(), rollup);
            if (call != null && "ringing".equals(call.status)) {
                rollup.changing(call);
                call.status = "active";
                call.answeredAt = utc(e.at());
                call.setupMs = Duration.between(call.startedAt, call.answeredAt).toMillis();
                return true;
            }
        } else if (event instanceof HistoryEvent.CallEnded e) {
            Call call = findLocked(e.callId(), rollup);
            if (call != null && !"ended".equals(call.status)) {
                rollup.changing(call);
                end(call, e.reason(), utc(e.at()));
                return true;
            }
        }
        return false;
    }

    /**
     * A call to change, read with a row lock held until commit: what it added to the report before this change is
     * then what the database holds, and no other writer can add the same change (see {@link CallRollupChanges}).
     * One this transaction created or locked already is taken as it is, without another query.
     */
    private Call findLocked(String callId, CallRollupChanges rollup) {
        Call mine = rollup.named(callId);
        return mine != null ? mine : em.find(Call.class, callId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Ending is idempotent: a call that already has an end keeps it. */
    private static void end(Call call, String reason, LocalDateTime at) {
        if ("ended".equals(call.status)) {
            return;
        }
        call.status = "ended";
        call.endReason = reason;
        call.endedAt = at;
        call.durationS = call.answeredAt == null ? 0 : Duration.between(call.answeredAt, at).getSeconds();
    }

    public boolean reachable() {
        return ((Number) em.createNativeQuery("select 1").getSingleResult()).intValue() == 1;
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
