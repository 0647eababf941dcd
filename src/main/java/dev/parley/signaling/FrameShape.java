package dev.parley.signaling;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A single pass over a frame's text before the JSON parser sees it: refuses nesting deeper than any frame of
 * PROTOCOL.md needs (the parser would otherwise recurse as deep as an attacker likes) and anything after the
 * root value (which the parser silently ignores). It only tracks brackets and strings; the parser does the rest.
 * After parsing, {@link #hasLoneSurrogate} finds strings that are not Unicode text ({@code "\ud800"} escapes),
 * which the container cannot encode when they are relayed (Tyrus throws an {@code Error}).
 */
final class FrameShape {

    /** A frame is an object holding at most a candidate object; room to spare for unknown fields. */
    static final int MAX_DEPTH = 8;

    private FrameShape() {
    }

    /** Null when the shape is acceptable, otherwise what is wrong with it. */
    static String problem(String text) {
        int depth = 0;
        boolean inString = false;
        boolean ended = false;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (inString) {
                // Most of a frame is the inside of one string (an SDP): run through it to what matters here.
                while (c != '"' && c != '\\' && !Character.isSurrogate(c) && ++i < length) {
                    c = text.charAt(i);
                }
                if (i == length) {
                    break;
                }
            }
            if (Character.isSurrogate(c) && !pairedAt(text, i++)) {
                return "text that is not valid Unicode";
            }
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (ended) {
                if (!isWhitespace(c)) {
                    return "unexpected content after the JSON value";
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> {
                    if (++depth > MAX_DEPTH) {
                        return "JSON nested deeper than " + MAX_DEPTH + " levels";
                    }
                }
                case '}', ']' -> {
                    if (--depth <= 0) {
                        ended = true;
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    /** Whether any string in the value, keys included, holds a surrogate that is not half of a pair. */
    static boolean hasLoneSurrogate(JsonValue value) {
        switch (value.getValueType()) {
            case STRING -> {
                return !isUnicode(((JsonString) value).getString());
            }
            case OBJECT -> {
                for (var field : value.asJsonObject().entrySet()) {
                    if (!isUnicode(field.getKey()) || hasLoneSurrogate(field.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            case ARRAY -> {
                for (JsonValue item : value.asJsonArray()) {
                    if (hasLoneSurrogate(item)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    static boolean isUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i)) && !pairedAt(s, i++)) {
                return false;
            }
        }
        return true;
    }

    /** A high surrogate at {@code i} followed by a low one (the caller then skips the low one). */
    private static boolean pairedAt(CharSequence s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
