package dev.parley.signaling;

import dev.parley.signaling.Inbound.Type;
import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;

/**
 * Turns a client's text frame into an {@link Inbound}, or refuses it with {@code bad-message} or
 * {@code too-large}. It is stateless and shared: every limit of PROTOCOL.md §1 is checked here,
 * before any routing.
 */
public final class MessageCodec {

    public static final int MAX_NAME = 64;
    public static final int MAX_PASSWORD = 128;
    public static final int MAX_TOKEN = 4096;
    public static final int MAX_REASON = 128;
    public static final int MAX_SDP_BYTES = 32 * 1024;
    public static final int MAX_CANDIDATE_BYTES = 1024;

    /** Duplicate keys are refused, not resolved: two readers of one frame must never see different values. */
    private static final JsonReaderFactory READERS =
            Json.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

    public Inbound decode(String text) {
        JsonObject json = parse(text);
        JsonValue typeValue = json.get("type");
        if (!(typeValue instanceof JsonString typeString)) {
            throw bad("missing or non-string field 'type'");
        }
        Type type = Type.of(typeString.getString());
        if (type == null) {
            throw bad("unknown message type");
        }
        return switch (type) {
            case JOIN -> new Inbound(type, string(json, "room", Integer.MAX_VALUE), name(json), string(json, "password", MAX_PASSWORD),
                    string(json, "token", MAX_TOKEN), string(json, "resume", MAX_TOKEN), null, null, null, null);
            case OFFER, ANSWER -> new Inbound(type, null, null, null, null, null, to(json), sdp(json), null, null);
            case CANDIDATE -> new Inbound(type, null, null, null, null, null, to(json), null, candidate(json), null);
            case REJECT -> new Inbound(type, null, null, null, null, null, to(json), null, null,
                    string(json, "reason", MAX_REASON));
            case HANGUP -> new Inbound(type, null, null, null, null, null, to(json), null, null, null);
            case LEAVE, PING -> new Inbound(type, null, null, null, null, null, null, null, null, null);
        };
    }

    /** The frame's {@code type} if it has a readable one, for the {@code ref} of an error. */
    public static String typeOf(String text) {
        try {
            JsonObject json = parse(text);
            return json.get("type") instanceof JsonString s && Type.of(s.getString()) != null ? s.getString() : null;
        } catch (SignalException e) {
            return null;
        }
    }

    private static JsonObject parse(String text) {
        String problem = FrameShape.problem(text);
        if (problem != null) {
            throw bad(problem);
        }
        JsonValue value;
        // Any failure of the provider is the frame's fault (Parsson, for one, throws plain RuntimeExceptions).
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            throw bad("not valid JSON, or a key appears twice");
        }
        if (!(value instanceof JsonObject object)) {
            throw bad("a frame must be a JSON object");
        }
        if (text.indexOf("\\u") >= 0 && FrameShape.hasLoneSurrogate(object)) {
            throw bad("strings must be Unicode text (an escaped surrogate is not half of a pair)");
        }
        return object;
    }

    private static String to(JsonObject json) {
        return string(json, "to", 256);
    }

    private static String name(JsonObject json) {
        return displayName(string(json, "name", Integer.MAX_VALUE));
    }

    /** A display name as given (by a client, or a join token's issuer): trimmed; null when empty or absent. */
    public static String displayName(String raw) {
        if (raw == null) {
            return null;
        }
        if (!FrameShape.isUnicode(raw)) {
            throw bad("name is not Unicode text");
        }
        String name = raw.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            throw bad("name is longer than " + MAX_NAME + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw bad("name contains control characters");
            }
        }
        return name.isEmpty() ? null : name;
    }

    private static String sdp(JsonObject json) {
        String sdp = string(json, "sdp", Integer.MAX_VALUE);
        if (sdp == null) {
            throw bad("missing field 'sdp'");
        }
        if (Utf8.longerThan(sdp, MAX_SDP_BYTES)) {
            throw new SignalException("too-large", "sdp is larger than 32 KiB");
        }
        return sdp;
    }

    /** The candidate object's JSON text, or null for end-of-candidates. */
    private static String candidate(JsonObject json) {
        if (!json.containsKey("candidate")) {
            throw bad("missing field 'candidate' (an object, or null for end-of-candidates)");
        }
        JsonValue candidate = json.get("candidate");
        if (candidate.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (candidate.getValueType() != JsonValue.ValueType.OBJECT) {
            throw bad("field 'candidate' must be an object or null");
        }
        String text = candidate.toString();
        if (Utf8.longerThan(text, MAX_CANDIDATE_BYTES)) {
            throw new SignalException("too-large", "candidate is larger than 1 KiB");
        }
        return text;
    }

    /** An optional string field: absent or null gives null, any other type is a bad message. */
    private static String string(JsonObject json, String field, int maxLength) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw bad("field '" + field + "' must be a string");
        }
        String text = s.getString();
        if (text.length() > maxLength) {
            throw bad("field '" + field + "' is too long");
        }
        return text;
    }

    private static SignalException bad(String message) {
        return new SignalException("bad-message", message);
    }
}
