package dev.parley.signaling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a client's frame in one pass over its text: JSON as RFC 8259 defines it, with the stricter rules of
 * PROTOCOL.md §1. The root must be an object; a key may not appear twice in any object (two readers of one frame
 * must never see different values); nesting stops at {@link #MAX_DEPTH}; nothing may follow the root; every string
 * must be Unicode text, raw or escaped (the container cannot encode a lone surrogate: Tyrus throws an
 * {@code Error}).
 *
 * <p>It keeps, for each top-level field of the protocol, where its value lies in the text. A relayed SDP or
 * candidate then passes on as the client wrote it, already checked, instead of being decoded and written again
 * (the bulk of a relayed frame, and of Parley's CPU per message before). Other values are decoded on request.
 * One reader per frame; not shared.
 */
final class FrameReader {

    /** A frame is an object holding at most a candidate object; room to spare for unknown fields. */
    static final int MAX_DEPTH = 8;
    /** Keys of one object are compared one by one up to this many, then through a hash set. */
    private static final int LINEAR_KEYS = 8;

    /** The top-level fields PROTOCOL.md gives a meaning to; any other is checked and ignored. */
    enum Field {
        TYPE("type"), ROOM("room"), NAME("name"), PASSWORD("password"), TOKEN("token"), RESUME("resume"),
        TO("to"), SDP("sdp"), CANDIDATE("candidate"), REASON("reason");

        private static final Field[] ALL = values();
        final String key;

        Field(String key) {
            this.key = key;
        }
    }

    enum Kind { ABSENT, STRING, NUMBER, OBJECT, ARRAY, TRUE, FALSE, NULL }

    private final String text;
    private final int length;
    private int pos;
    /** Per field: its value's kind, and where the value starts and ends (a string's quotation marks included). */
    private final Kind[] kinds = new Kind[Field.ALL.length];
    private final int[] starts = new int[Field.ALL.length];
    private final int[] ends = new int[Field.ALL.length];
    /** Per field: whether a string value holds escapes, and its decoded size in UTF-8. */
    private final boolean[] escaped = new boolean[Field.ALL.length];
    private final int[] utf8 = new int[Field.ALL.length];
    /** Set by {@link #string()} for the string it has just read. */
    private boolean lastEscaped;
    private int lastUtf8;

    private FrameReader(String text) {
        this.text = text;
        this.length = text.length();
        Arrays.fill(kinds, Kind.ABSENT);
    }

    /** Reads and checks the whole frame, or throws {@code bad-message} saying what is wrong and where. */
    static FrameReader read(String text) {
        FrameReader reader = new FrameReader(text);
        reader.skipWhitespace();
        if (reader.pos == reader.length || reader.text.charAt(reader.pos) != '{') {
            throw bad("a frame must be a JSON object");
        }
        reader.object(1, true);
        reader.skipWhitespace();
        if (reader.pos != reader.length) {
            throw reader.invalid("unexpected content after the frame's object");
        }
        return reader;
    }

    Kind kind(Field field) {
        return kinds[field.ordinal()];
    }

    /** A string field's decoded value; null unless the field is a string. */
    String string(Field field) {
        int f = field.ordinal();
        if (kinds[f] != Kind.STRING) {
            return null;
        }
        return escaped[f] ? unescape(starts[f] + 1, ends[f] - 1) : text.substring(starts[f] + 1, ends[f] - 1);
    }

    /** A string field's size in UTF-8 once decoded (escapes resolved), without decoding it. */
    int utf8Length(Field field) {
        return utf8[field.ordinal()];
    }

    /** The field's value exactly as the client wrote it (a string with its quotation marks and escapes). */
    String raw(Field field) {
        int f = field.ordinal();
        return kinds[f] == Kind.ABSENT ? null : text.substring(starts[f], ends[f]);
    }

    // --- the grammar -------------------------------------------------------------------------------

    /** An object from its '{'; at the top level, the fields of the protocol are recorded as they pass. */
    private void object(int depth, boolean top) {
        if (opened(depth, '}')) {
            return;
        }
        Keys keys = new Keys();
        do {
            if (peek() != '"') {
                throw invalid("expected a key in quotation marks");
            }
            int keyStart = pos;
            string();
            int keyEnd = pos;
            String key = lastEscaped ? unescape(keyStart + 1, keyEnd - 1) : null;
            Field field = top ? field(key, keyStart, keyEnd) : null;
            if (field != null) {
                keys.add(field);
            } else {
                keys.add(key != null ? key : text.substring(keyStart + 1, keyEnd - 1));
            }
            skipWhitespace();
            if (peek() != ':') {
                throw invalid("expected ':' after a key");
            }
            pos++;
            skipWhitespace();
            int valueStart = pos;
            Kind kind = value(depth);
            if (field != null) {
                int f = field.ordinal();
                kinds[f] = kind;
                starts[f] = valueStart;
                ends[f] = pos;
                escaped[f] = lastEscaped;
                utf8[f] = lastUtf8;
            }
        } while (another('}'));
    }

    private Kind value(int depth) {
        char c = peek();
        switch (c) {
            case '{' -> {
                object(depth + 1, false);
                return Kind.OBJECT;
            }
            case '[' -> {
                array(depth + 1);
                return Kind.ARRAY;
            }
            case '"' -> {
                string();
                return Kind.STRING;
            }
            case 't' -> {
                literal("true");
                return Kind.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Kind.FALSE;
            }
            case 'n' -> {
                literal("null");
                return Kind.NULL;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                    return Kind.NUMBER;
                }
                throw invalid(pos == length ? "the text ends where a value should be" : "expected a value");
            }
        }
    }

    private void array(int depth) {
        if (opened(depth, ']')) {
            return;
        }
        do {
            value(depth);
        } while (another(']'));
    }

    /**
     * Steps past an object's or array's opening bracket, {@code depth} levels down; true if it is empty (its
     * {@code close} is then passed too).
     */
    private boolean opened(int depth, char close) {
        if (depth > MAX_DEPTH) {
            throw bad("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        pos++;
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member or an element: true past a ',' (another follows), false past the {@code close} that ends them. */
    private boolean another(char close) {
        skipWhitespace();
        char c = peek();
        if (c != ',' && c != close) {
            throw invalid("expected ',' or '" + close + "'");
        }
        pos++;
        skipWhitespace();
        return c == ',';
    }

    /**
     * A string from its opening quotation mark to just past its closing one. Sets {@link #lastEscaped} and
     * {@link #lastUtf8}. Surrogates must pair as they are written: a raw one with a raw one, an escaped one with an
     * escaped one, so that both the text as relayed and the string it stands for are Unicode.
     */
    private void string() {
        int i = pos + 1;
        boolean hasEscapes = false;
        int bytes = 0;
        while (true) {
            if (i >= length) {
                pos = length;
                throw invalid("a string is not closed");
            }
            char c = text.charAt(i);
            if (c == '"') {
                break;
            }
            if (c < 0x80 && c >= 0x20 && c != '\\') {
                // The bulk of a frame (an SDP's lines): printable ASCII, a byte each, run through in one loop.
                int run = i;
                do {
                    i++;
                } while (i < length && (c = text.charAt(i)) < 0x80 && c >= 0x20 && c != '"' && c != '\\');
                bytes += i - run;
            } else if (c == '\\') {
                hasEscapes = true;
                pos = i;
                char e = i + 1 < length ? text.charAt(i + 1) : 0;
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                        bytes++;
                        i += 2;
                    }
                    case 'u' -> {
                        char unit = hex(i + 2);
                        if (Character.isHighSurrogate(unit)) {
                            if (!(i + 7 < length && text.charAt(i + 6) == '\\' && text.charAt(i + 7) == 'u'
                                    && Character.isLowSurrogate(hex(i + 8)))) {
                                throw bad("strings must be Unicode text (an escaped surrogate is not half of a pair)");
                            }
                            bytes += 4;
                            i += 12;
                        } else if (Character.isLowSurrogate(unit)) {
                            throw bad("strings must be Unicode text (an escaped surrogate is not half of a pair)");
                        } else {
                            bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
                            i += 6;
                        }
                    }
                    default -> throw invalid("a backslash must start an escape such as \\n or \\u00e9");
                }
            } else if (c < 0x20) {
                pos = i;
                throw invalid("control characters in a string must be escaped");
            } else if (Character.isSurrogate(c)) {
                if (!(Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1)))) {
                    throw bad("text that is not valid Unicode");
                }
                bytes += 4;
                i += 2;
            } else {
                bytes += c < 0x800 ? 2 : 3;
                i++;
            }
        }
        pos = i + 1;
        lastEscaped = hasEscapes;
        lastUtf8 = bytes;
    }

    /** The UTF-16 unit of the four hex digits at {@code at}. */
    private char hex(int at) {
        if (at + 4 > length) {
            throw invalid("\\u must be followed by four hex digits");
        }
        int unit = 0;
        for (int k = at; k < at + 4; k++) {
            char c = text.charAt(k);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw invalid("\\u must be followed by four hex digits");
            }
            unit = unit << 4 | digit;
        }
        return (char) unit;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private void number() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw invalid("a number must have digits");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw invalid("a number's fraction must have digits");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw invalid("a number's exponent must have digits");
            }
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < length && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw invalid("expected a value");
        }
        pos += word.length();
    }

    private void skipWhitespace() {
        while (pos < length) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The character at the cursor, or 0 past the end (which no rule accepts). */
    private char peek() {
        return pos < length ? text.charAt(pos) : 0;
    }

    /** The protocol field a top-level key names, matched without decoding a key that has no escapes. */
    private Field field(String decoded, int keyStart, int keyEnd) {
        int keyLength = keyEnd - keyStart - 2;
        for (Field field : Field.ALL) {
            if (decoded != null ? decoded.equals(field.key)
                    : keyLength == field.key.length() && text.startsWith(field.key, keyStart + 1)) {
                return field;
            }
        }
        return null;
    }

    /** The text between {@code from} and {@code to} with its escapes resolved; it has been checked already. */
    private String unescape(int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int plain = from;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != '\\') {
                continue;
            }
            out.append(text, plain, i);
            char e = text.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> out.append(e); // " \ /
            }
            plain = i + 1;
        }
        return out.append(text, plain, to).toString();
    }

    private SignalException invalid(String what) {
        return bad("not valid JSON: " + what + " (at character " + (pos + 1) + ")");
    }

    private static SignalException bad(String message) {
        return new SignalException("bad-message", message);
    }

    /** The keys of one object so far, to refuse one that appears twice. */
    private static final class Keys {
        /** The protocol's fields seen (top level only), as bits by ordinal. */
        private int fields;
        private List<String> list;
        private Set<String> set;

        void add(Field field) {
            int bit = 1 << field.ordinal();
            if ((fields & bit) != 0) {
                throw twice(field.key);
            }
            fields |= bit;
        }

        void add(String key) {
            if (set != null) {
                if (!set.add(key)) {
                    throw twice(key);
                }
                return;
            }
            if (list == null) {
                list = new ArrayList<>(4);
            } else if (list.contains(key)) {
                throw twice(key);
            }
            list.add(key);
            if (list.size() > LINEAR_KEYS) {
                set = new HashSet<>(list);
            }
        }

        private static SignalException twice(String key) {
            // Cut between code points: half a surrogate pair could not be sent back (the socket would close 1011).
            String shown = key.codePointCount(0, key.length()) > 40 ? key.substring(0, key.offsetByCodePoints(0, 40)) + "…" : key;
            return bad("the key '" + shown + "' appears twice in one object");
        }
    }
}
