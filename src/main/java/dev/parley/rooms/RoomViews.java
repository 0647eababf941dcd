package dev.parley.rooms;

import static dev.parley.api.JsonP.JSON;

import dev.parley.calls.LiveCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** The admin's view of a live room (PROTOCOL.md §2), taken under the room's lock so it is consistent. */
@ApplicationScoped
public class RoomViews {

    public JsonObject of(LiveRoom room) {
        synchronized (room) {
            JsonArrayBuilder participants = JSON.createArrayBuilder();
            for (Member m : room.members()) {
                participants.add(JSON.createObjectBuilder().add("id", m.id).add("name", m.name)
                        .add("joinedAt", m.joinedAt.toString()).add("connected", m.connected()));
            }
            boolean callInProgress = room.calls.values().stream().anyMatch(c -> c.state() != LiveCall.State.ENDED);
            return JSON.createObjectBuilder().add("name", room.name).add("capacity", room.capacity)
                    .add("hasPassword", room.hasPassword()).add("createdAt", room.createdAt.toString())
                    .add("participants", participants).add("callInProgress", callInProgress).build();
        }
    }
}
