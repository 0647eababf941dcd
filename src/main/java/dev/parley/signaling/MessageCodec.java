package dev.parley.signaling;

import dev.parley.signaling.FrameReader.Field;
import dev.parley.signaling.FrameReader.Kind;
import dev.parley.signaling.Inbound.Type;

/**
 * Turns a client's text frame into an {@link Inbound}, or refuses it with {@code bad-message} or
 * {@code too-large}. It is stateless and shared: every limit of PROTOCOL.md §1 is checked here,
 * before any routing. {@link FrameReader} checks the JSON; this class, the fields each type uses.
 */
public final class MessageCodec {

    public static final int MAX_NAME = 64;
    public static final int MAX_PASSWORD = 128;
    public static final int MAX_TOKEN = 4096;
    public static final int MAX_REASON = 128;
    public static final int MAX_SDP_BYTES = 32 * 1024;
    public static final int MAX_CANDIDATE_BYTES = 1024;

    public Inbound decode(String text) {
        FrameReader json = FrameReader.read(text);
        if (json.kind(Field.TYPE) != Kind.STRING) {
            throw bad("missing or non-string field 'type'");
        }
        Type type = Type.of(json.string(Field.TYPE));
        if (type == null) {
            throw bad("unknown message type");
        }
        return switch (type) {
            case JOIN -> new Inbound(type, string(json, Field.ROOM, Integer.MAX_VALUE), name(json),
                    string(json, Field.PASSWORD, MAX_PASSWORD), string(json, Field.TOKEN, MAX_TOKEN),
                    string(json, Field.RESUME, MAX_TOKEN), null, null, null, null);
            case OFFER, ANSWER -> new Inbound(type, null, null, null, null, null, to(json), sdp(json), null, null);
            case CANDIDATE -> new Inbound(type, null, null, null, null, null, to(json), null, candidate(json), null);
            case REJECT -> new Inbound(type, null, null, null, null, null, to(json), null, null,
                    string(json, Field.REASON, MAX_REASON));
            case HANGUP -> new Inbound(type, null, null, null, null, null, to(json), null, null, null);
            case LEAVE, PING -> new Inbound(type, null, null, null, null, null, null, null, null, null);
        };
    }

    /** The frame's {@code type} if it has a readable one, for the {@code ref} of an error. */
    public static String typeOf(String text) {
        try {
            FrameReader json = FrameReader.read(text);
            String type = json.string(Field.TYPE);
            return type != null && Type.of(type) != null ? type : null;
        } catch (SignalException e) {
            return null;
        }
    }

    private static String to(FrameReader json) {
        return string(json, Field.TO, 256);
    }

    private static String name(FrameReader json) {
        return displayName(string(json, Field.NAME, Integer.MAX_VALUE));
    }

    /** A display name as given (by a client, or a join token's issuer): trimmed; null when empty or absent. */
    public static String displayName(String raw) {
        if (raw == null) {
            return null;
        }
        if (!Utf8.isUnicode(raw)) {
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

    /** The SDP as a JSON string, quoted and escaped as the client sent it, to be relayed as it is. */
    private static String sdp(FrameReader json) {
        if (json.kind(Field.SDP) == Kind.ABSENT || json.kind(Field.SDP) == Kind.NULL) {
            throw bad("missing field 'sdp'");
        }
        if (json.kind(Field.SDP) != Kind.STRING) {
            throw bad("field 'sdp' must be a string");
        }
        if (json.utf8Length(Field.SDP) > MAX_SDP_BYTES) {
            throw new SignalException("too-large", "sdp is larger than 32 KiB");
        }
        return json.raw(Field.SDP);
    }

    /** The candidate object's JSON text as the client sent it, or null for end-of-candidates. */
    private static String candidate(FrameReader json) {
        Kind kind = json.kind(Field.CANDIDATE);
        if (kind == Kind.ABSENT) {
            throw bad("missing field 'candidate' (an object, or null for end-of-candidates)");
        }
        if (kind == Kind.NULL) {
            return null;
        }
        if (kind != Kind.OBJECT) {
            throw bad("field 'candidate' must be an object or null");
        }
        String text = json.raw(Field.CANDIDATE);
        if (Utf8.longerThan(text, MAX_CANDIDATE_BYTES)) {
            throw new SignalException("too-large", "candidate is larger than 1 KiB");
        }
        return text;
    }

    /** An optional string field: absent or null gives null, any other type is a bad message. */
    private static String string(FrameReader json, Field field, int maxLength) {
        Kind kind = json.kind(field);
        if (kind == Kind.ABSENT || kind == Kind.NULL) {
            return null;
        }
        if (kind != Kind.STRING) {
            throw bad("field '" + field.key + "' must be a string");
        }
        String text = json.string(field);
        if (text.length() > maxLength) {
            throw bad("field '" + field.key + "' is too long");
        }
        return text;
    }

    private static SignalException bad(String message) {
        return new SignalException("bad-message", message);
    }
}
