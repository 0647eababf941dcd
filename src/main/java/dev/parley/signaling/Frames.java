package dev.parley.signaling;

import dev.parley.api.JsonP;
import dev.parley.calls.LiveCall;
import dev.parley.rooms.Member;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds every server-to-client frame of PROTOCOL.md §1, so the wire format lives in one place. */
public final class Frames {

    private static final JsonGeneratorFactory GENERATORS = JsonP.JSON.createGeneratorFactory(Map.of());

    private Frames() {
    }

    public static final String PONG = "{\"type\":\"pong\"}";

    /**
     * {@code calls} is Parley's addition: the member's calls in progress. A resumed client learns from it which of
     * its calls ended while it was away (the end was sent to a link that was down), instead of offering again to a
     * peer that hung up, which would ring there as a new call.
     */
    public static String joined(Member self, List<Member> peers, List<LiveCall> calls, JsonValue iceServers,
            long iceTtl, String resumeToken) {
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
            g.writeStartArray("calls");
            for (LiveCall call : calls) {
                g.writeStartObject().write("id", call.id)
                        .write("status", call.state() == LiveCall.State.RINGING ? "ringing" : "active");
                g.writeStartObject("peer").write("id", call.other(self).id).writeEnd();
                g.writeStartObject("caller").write("id", call.caller.id).writeEnd();
                g.writeEnd();
            }
            g.writeEnd();
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

    /**
     * {@code peer} (the other side, by id) is Parley's addition: a caller whose call rang out learns the call's id
     * only from this frame, and with several calls ringing (a group room) could not tell which one ended.
     */
    public static String callEnded(String callId, String reason, String peerId) {
        return frame("call-ended", g -> {
            g.write("callId", callId).write("reason", reason);
            g.writeStartObject("peer").write("id", peerId).writeEnd();
        });
    }

    /**
     * A relayed offer or answer: only type, from, callId and sdp pass. {@code sdpJson} is the SDP as a JSON string,
     * as the client wrote it and the codec checked it. Written by hand, as is {@link #candidate}: the payload, nearly
     * all of the frame, is copied rather than decoded and encoded again.
     */
    public static String sdp(String type, String from, String callId, String sdpJson) {
        return relayHeader(type, from, callId, "sdp") + sdpJson + '}';
    }

    /** A relayed candidate; {@code candidate} is the candidate object's JSON text, or null for end-of-candidates. */
    public static String candidate(String from, String callId, String candidate) {
        return relayHeader("candidate", from, callId, "candidate") + (candidate == null ? "null" : candidate) + '}';
    }

    /**
     * {@code {"type":…,"from":…,"callId":…,"<payload>":}, to which the payload and the closing brace are joined. The
     * join makes the frame in one string of its exact size: a builder for the whole frame would copy the payload, an
     * SDP of some KB, twice.
     */
    private static String relayHeader(String type, String from, String callId, String payload) {
        int callIdLength = callId == null ? 4 : callId.length();
        StringBuilder out = new StringBuilder(48 + from.length() + callIdLength + payload.length());
        quote(out.append("{\"type\":"), type);
        quote(out.append(",\"from\":"), from).append(",\"callId\":");
        if (callId == null) {
            out.append("null");
        } else {
            quote(out, callId);
        }
        return out.append(",\"").append(payload).append("\":").toString();
    }

    /**
     * Appends {@code text} as a JSON string (RFC 8259 §7): quotation mark, reverse solidus and control characters
     * escaped, everything else as it is. Text reaching here is Unicode (the codec refuses lone surrogates).
     */
    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append(text, plain, text.length()).append('"');
    }

    public static String reject(String from, String callId, String reason) {
        return frame("reject", g -> {
            relayFields(g, from, callId);
            if (reason != null) {
                g.write("reason", reason);
            }
        });
    }

    public static String hangup(String from, String callId) {
        return frame("hangup", g -> relayFields(g, from, callId));
    }

    public static String error(String code, String message, String ref) {
        return error(code, message, ref, null);
    }

    /** With {@code reason} (Parley's addition), when there is one: see {@link SignalException#reason()}. */
    public static String error(String code, String message, String ref, String reason) {
        return frame("error", g -> {
            g.write("code", code).write("message", message);
            if (ref != null) {
                g.write("ref", ref);
            }
            if (reason != null) {
                g.write("reason", reason);
            }
        });
    }

    private static void relayFields(JsonGenerator g, String from, String callId) {
        g.write("from", from);
        if (callId == null) {
            g.writeNull("callId");
        } else {
            g.write("callId", callId);
        }
    }

    private static String frame(String type, Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject().write("type", type);
            body.accept(g);
            g.writeEnd();
        }
        return out.toString();
    }
}
