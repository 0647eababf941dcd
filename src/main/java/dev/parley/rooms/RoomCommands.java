package dev.parley.rooms;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.cluster.Grid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin's room operations wherever the room is: on this instance directly, else asked of the instance that
 * holds it (a cluster runs every room's rules on one instance). Questions are one line: {@code rooms},
 * {@code room <name>}, {@code close <name>}, {@code kick <name> <participant>}.
 */
@ApplicationScoped
public class RoomCommands {

    private static final Logger LOG = Logger.getLogger(RoomCommands.class.getName());

    @Inject
    Presence presence;
    @Inject
    RoomViews views;

    public void start() {
        presence.grid().serve(this::answer);
    }

    /** Every live room of the cluster, oldest first. */
    public List<JsonObject> rooms() {
        Grid grid = presence.grid();
        JsonArrayBuilder all = JSON.createArrayBuilder();
        presence.rooms().forEach(room -> all.add(views.of(room)));
        for (String instance : grid.instances()) {
            if (!instance.equals(grid.instanceId())) {
                String answer = ask(instance, "rooms");
                JSON.createReader(new StringReader(answer.isEmpty() ? "[]" : answer)).readArray().forEach(all::add);
            }
        }
        return all.build().stream().map(JsonValue::asJsonObject)
                .sorted(Comparator.comparing(room -> room.getString("createdAt"))).toList();
    }

    /** The room's view, or null when no instance holds it. */
    public JsonObject room(String name) {
        String owner = remoteOwner(name);
        if (owner == null) {
            return presence.room(name).map(views::of).orElse(null);
        }
        String answer = ask(owner, "room " + name);
        return answer.isEmpty() ? null : JSON.createReader(new StringReader(answer)).readObject();
    }

    public boolean close(String name) {
        String owner = remoteOwner(name);
        return owner == null ? presence.close(name, "room-closed") : Boolean.parseBoolean(ask(owner, "close " + name));
    }

    public boolean kick(String name, String participant) {
        String owner = remoteOwner(name);
        return owner == null ? presence.kick(name, participant)
                : Boolean.parseBoolean(ask(owner, "kick " + name + " " + participant));
    }

    /** The instance holding the room if it is another one; null for this one or none. */
    private String remoteOwner(String name) {
        Grid grid = presence.grid();
        String owner = grid.ownerOf(name);
        return owner == null || owner.equals(grid.instanceId()) ? null : owner;
    }

    private String ask(String instance, String question) {
        try {
            return presence.grid().ask(instance, question).join();
        } catch (CompletionException e) {
            LOG.log(Level.WARNING, "Instance " + instance + " did not answer '" + question.split(" ")[0] + "'", e);
            throw new ApiException(503, "unavailable", "the instance holding the room did not answer; retry");
        }
    }

    private String answer(String question) {
        String[] words = question.split(" ");
        return switch (words[0]) {
            case "rooms" -> {
                JsonArrayBuilder rooms = JSON.createArrayBuilder();
                presence.rooms().forEach(room -> rooms.add(views.of(room)));
                yield rooms.build().toString();
            }
            case "room" -> presence.room(words[1]).map(room -> views.of(room).toString()).orElse("");
            case "close" -> Boolean.toString(presence.close(words[1], "room-closed"));
            case "kick" -> Boolean.toString(presence.kick(words[1], words[2]));
            default -> "";
        };
    }
}
