package dev.parley.history;

import dev.parley.calls.Call;
import dev.parley.db.Dialect;
import dev.parley.reports.CallRollup;
import dev.parley.rooms.Participant;
import dev.parley.rooms.Room;
import dev.parley.webhooks.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        Set<LocalDateTime> changedHours = new HashSet<>();
        for (HistoryEvent event : batch) {
            Call changed = apply(event, instanceId);
            if (changed != null) {
                changedHours.add(changed.startedAt);
            }
            em.flush(); // keep dependent rows (a call after its room) in event order
            webhooks.add(event);
        }
        recount(changedHours);
    }

    /** Brings the report's per-hour sums up to date with the calls this transaction changed. */
    private void recount(Set<LocalDateTime> hours) {
        if (hours.isEmpty()) {
            return;
        }
        new CallRollup(dialect.isH2()).refresh(em, hours);
    }

    /**
     * Closes what a dead instance left open: its calls and seats end with {@code reason} ({@code server-restart}
     * when it starts again, {@code disconnected} when a surviving instance of a cluster finds it gone), its rooms close.
     */
    @Transactional
    public int closeUnfinished(String instanceId, Instant now, String reason) {
        LocalDateTime at = utc(now);
        List<Call> open = em.createQuery("select c from Call c where c.status <> 'ended' and c.instanceId = :i", Call.class)
                .setParameter("i", instanceId).getResultList();
        for (Call call : open) {
            end(call, reason, at);
        }
        em.flush();
        Set<LocalDateTime> changedHours = new HashSet<>();
        for (Call call : open) {
            webhooks.add(new HistoryEvent.CallEnded(call.id, reason, now));
            changedHours.add(call.startedAt);
        }
        recount(changedHours);
        em.createQuery("update Participant p set p.leftAt = :at, p.leaveReason = :reason "
                + "where p.leftAt is null and p.instanceId = :i").setParameter("at", at).setParameter("reason", reason)
                .setParameter("i", instanceId).executeUpdate();
        em.createQuery("update Room r set r.closedAt = :at where r.closedAt is null and r.instanceId = :i")
                .setParameter("at", at).setParameter("i", instanceId).executeUpdate();
        return open.size();
    }

    /** Applies one event; returns the call it created or changed, if any. */
    private Call apply(HistoryEvent event, String instanceId) {
        if (event instanceof HistoryEvent.RoomOpened e) {
            Room room = new Room();
            room.id = e.roomId();
            room.name = e.name();
            room.capacity = e.capacity();
            room.hasPassword = e.hasPassword();
            room.createdAt = utc(e.at());
            room.instanceId = instanceId;
            em.persist(room);
        } else if (event instanceof HistoryEvent.RoomClosed e) {
            Room room = em.find(Room.class, e.roomId());
            if (room != null && room.closedAt == null) {
                room.closedAt = utc(e.at());
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
        } else if (event instanceof HistoryEvent.ParticipantLeft e) {
            Participant p = em.find(Participant.class, e.id());
            if (p != null && p.leftAt == null) {
                p.leftAt = utc(e.at());
                p.leaveReason = e.reason();
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
            return call;
        } else if (event instanceof HistoryEvent.CallAnswered e) {
            Call call = em.find(Call.class, e.callId());
            if (call != null && "ringing".equals(call.status)) {
                call.status = "active";
                call.answeredAt = utc(e.at());
                call.setupMs = Duration.between(call.startedAt, call.answeredAt).toMillis();
            }
            return call;
        } else if (event instanceof HistoryEvent.CallEnded e) {
            Call call = em.find(Call.class, e.callId());
            if (call != null) {
                end(call, e.reason(), utc(e.at()));
            }
            return call;
        }
        return null;
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
