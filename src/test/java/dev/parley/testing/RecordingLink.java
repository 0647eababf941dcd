package dev.parley.testing;

import dev.parley.signaling.Link;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** A participant's connection that keeps every frame (parsed) and close code it was sent. */
public final class RecordingLink implements Link {

    public final List<JsonObject> frames = new ArrayList<>();
    public final List<Integer> closeCodes = new ArrayList<>();
    public boolean detached;
    private final String userAgent;
    private final String clientAddress;

    public RecordingLink() {
        this("", "");
    }

    public RecordingLink(String userAgent, String clientAddress) {
        this.userAgent = userAgent;
        this.clientAddress = clientAddress;
    }

    @Override
    public String userAgent() {
        return userAgent;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public void send(String frame) {
        try (JsonReader reader = Json.createReader(new StringReader(frame))) {
            frames.add(reader.readObject());
        }
    }

    @Override
    public void close(int code, String reason) {
        closeCodes.add(code);
    }

    @Override
    public void detach() {
        detached = true;
    }

    public List<JsonObject> ofType(String type) {
        return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    /** The only frame of that type; fails if there is none or more than one. */
    public JsonObject only(String type) {
        List<JsonObject> matching = ofType(type);
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one '" + type + "' frame but got " + matching.size()
                    + " among " + frames);
        }
        return matching.get(0);
    }

    public JsonObject last() {
        if (frames.isEmpty()) {
            throw new AssertionError("no frame was sent");
        }
        return frames.get(frames.size() - 1);
    }

    public void clear() {
        frames.clear();
        closeCodes.clear();
    }
}
