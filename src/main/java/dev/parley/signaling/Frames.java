package dev.parley.signaling;

import dev.parley.rooms.Member;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds every server-to-client frame of PROTOCOL.md §1, so the wire format lives in one place. */
public final class Frames {

    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    private Frames() {
    }

    public static final String PONG = "{\"type\":\"pong\"}";

    public static String joined(Member self, List<Member> peers, JsonValue iceServers, long iceTtl, String resumeToken) {
        return frame("joined", g -> {
            g.write("room", self.room.name);
            g.writeStartObject("self").write("id", self.id).write("name", self.name).writeEnd();
            g.writeStartArray("peers");
            for (Member peer : peers) {
                g.writeStartObject().write("id", peer.id).write("name", peer.name)
                        .write("polite", self.politeTowards(peer)).writeEnd();
            }
            g.writeEnd();
            g.write("capacity", self.room.capacity);
            g.write("iceServers", iceServers);
            g.write("iceTtl", iceTtl);
            g.write("resumeToken", resumeToken);
        });
    }

    /** Tells {@code receiver} that {@code peer} arrived, with the receiver's role towards it. */
    public static String peerJoined(Member receiver, Member peer) {
        return frame("peer-joined", g -> g.writeStartObject("peer").write("id", peer.id).write("name", peer.name)
                .write("polite", receiver.politeTowards(peer)).writeEnd());
    }

    public static String peerLeft(String peerId, String reason) {
        return frame("peer-left", g -> {
            g.writeStartObject("peer").write("id", peerId).writeEnd();
            g.write("reason", reason);
        });
    }

    public static String callEnded(String callId, String reason) {
        return frame("call-ended", g -> g.write("callId", callId).write("reason", reason));
    }

    /** A relayed offer or answer: only type, from, callId and sdp pass. */
    public static String sdp(String type, String from, String callId, String sdp) {
        return frame(type, g -> {
            relayHeader(g, from, callId);
            g.write("sdp", sdp);
        });
    }

    public static String candidate(String from, String callId, JsonValue candidate) {
        return frame("candidate", g -> {
            relayHeader(g, from, callId);
            g.write("candidate", candidate == null ? JsonValue.NULL : candidate);
        });
    }

    public static String reject(String from, String callId, String reason) {
        return frame("reject", g -> {
            relayHeader(g, from, callId);
            if (reason != null) {
                g.write("reason", reason);
            }
        });
    }

    public static String hangup(String from, String callId) {
        return frame("hangup", g -> relayHeader(g, from, callId));
    }

    public static String error(String code, String message, String ref) {
        return frame("error", g -> {
            g.write("code", code).write("message", message);
            if (ref != null) {
                g.write("ref", ref);
            }
        });
    }

    private static void relayHeader(JsonGenerator g, String from, String callId) {
        g.write("from", from);
        if (callId == null) {
            g.writeNull("callId");
        } else {
            g.write("callId", callId);
        }
    }

    private static String frame(String type, Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject().write("type", type);
            body.accept(g);
            g.writeEnd();
        }
        return out.toString();
    }
}
