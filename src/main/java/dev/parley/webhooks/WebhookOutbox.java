package dev.parley.webhooks;

import static dev.parley.api.JsonP.JSON;

import dev.parley.calls.Call;
import dev.parley.calls.CallJson;
import dev.parley.config.ParleyConfig;
import dev.parley.history.HistoryEvent;
import dev.parley.rooms.Participant;
import dev.parley.rooms.Room;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes the webhook event for a history change into the outbox, inside the transaction that writes the change
 * itself: either both are stored or neither, so no event is lost and none describes a change that did not happen.
 */
@ApplicationScoped
public class WebhookOutbox {

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    ParleyConfig config;

    public boolean enabled() {
        return !config.webhookUrls.isEmpty();
    }

    /** Called by the history store after it applied {@code event}, in the same transaction. */
    public void add(HistoryEvent event) {
        if (!enabled()) {
            return;
        }
        if (event instanceof HistoryEvent.RoomOpened e) {
            Room room = em.find(Room.class, e.roomId());
            write(e.name(), "room.created", e.at(), body -> body.add("capacity", room.capacity)
                    .add("hasPassword", room.hasPassword));
        } else if (event instanceof HistoryEvent.RoomClosed e) {
            Room room = em.find(Room.class, e.roomId());
            if (room != null) {
                write(room.name, "room.closed", e.at(), body -> { });
            }
        } else if (event instanceof HistoryEvent.ParticipantJoined e) {
            write(e.roomName(), "participant.joined", e.at(), body -> body.add("participant",
                    JSON.createObjectBuilder().add("id", e.id()).add("name", e.name())));
        } else if (event instanceof HistoryEvent.ParticipantLeft e) {
            Participant p = em.find(Participant.class, e.id());
            if (p != null) {
                write(p.roomName, "participant.left", e.at(), body -> body.add("participant",
                        JSON.createObjectBuilder().add("id", p.id).add("name", p.displayName)).add("reason", e.reason()));
            }
        } else if (event instanceof HistoryEvent.CallStarted e) {
            call(e.callId(), "call.started", e.at());
        } else if (event instanceof HistoryEvent.CallAnswered e) {
            call(e.callId(), "call.answered", e.at());
        } else if (event instanceof HistoryEvent.CallEnded e) {
            call(e.callId(), "call.ended", e.at());
        }
    }

    private void call(String callId, String type, Instant at) {
        Call call = em.find(Call.class, callId);
        if (call != null) {
            write(call.roomName, type, at, body -> body.add("call", CallJson.of(call)));
        }
    }

    private void write(String room, String type, Instant at, java.util.function.Consumer<JsonObjectBuilder> details) {
        String id = UUID.randomUUID().toString();
        long seq = nextSeq(room);
        JsonObjectBuilder body = JSON.createObjectBuilder().add("id", id).add("seq", seq).add("type", type)
                .add("at", at.toString()).add("room", room);
        details.accept(body);
        Timestamp now = Timestamp.valueOf(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
        em.createNativeQuery("INSERT INTO parley_webhook_event (id, room_name, seq, type, body, created_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, id).setParameter(2, room).setParameter(3, seq).setParameter(4, type)
                .setParameter(5, body.build().toString()).setParameter(6, now).executeUpdate();
        for (String url : config.webhookUrls) {
            em.createNativeQuery("INSERT INTO parley_webhook_delivery (event_id, url, status, attempts, created_at, "
                            + "next_attempt_at) VALUES (?1, ?2, 'pending', 0, ?3, ?3)")
                    .setParameter(1, id).setParameter(2, url).setParameter(3, now).executeUpdate();
        }
    }

    /** Per-room sequence numbers kept in the database, so they keep rising across restarts. */
    private long nextSeq(String room) {
        int updated = em.createNativeQuery("UPDATE parley_room_seq SET seq = seq + 1 WHERE room_name = ?1")
                .setParameter(1, room).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO parley_room_seq (room_name, seq) VALUES (?1, 1)")
                    .setParameter(1, room).executeUpdate();
            return 1;
        }
        return ((Number) em.createNativeQuery("SELECT seq FROM parley_room_seq WHERE room_name = ?1")
                .setParameter(1, room).getSingleResult()).longValue();
    }
}
