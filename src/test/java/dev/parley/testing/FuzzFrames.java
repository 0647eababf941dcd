package dev.parley.testing;

import java.util.List;
import java.util.Random;

/**
 * Generates signaling frames for the fuzz tests ({@code FaultsIT} against a server, {@code FuzzedFramesTest} in
 * process) from one seeded {@link Random}: the same seed gives the same
 * frames. Half are built from the protocol's own vocabulary with hostile values (wrong types, over-long and
 * control-character strings, escapes of lone surrogates, deep or duplicated structure), half are character-level
 * mutations of valid frames. Frames stay valid UTF-16 (the client must be able to send them) and mostly under
 * the server's frame limit.
 */
public final class FuzzFrames {

    private static final List<String> TYPES = List.of("join", "offer", "answer", "candidate", "reject", "hangup",
            "leave", "ping", "Join", "pong", "joined", "error", "", "offer ", "\u0000");
    private static final List<String> KEYS = List.of("type", "room", "name", "password", "token", "resume", "to",
            "sdp", "candidate", "reason", "from", "callId", "peers", "__proto__", "constructor", "");
    private static final List<String> ATOMS = List.of("null", "true", "false", "0", "-0", "1e309", "-1e309",
            "123456789012345678901234567890", "0.0000000000000000000001", "1E+2", "[]", "{}", "\"\"", "[null]",
            "{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
    private static final List<String> NASTY_TEXT = List.of("\\u0000", "\\ud800", "\\udc00x", "\\ud83d\\ude00",
            "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\u202e", "\uFEFF", "\u0007", "\u00e9", "\uD83D\uDE00", "%s%n",
            "<script>", "' OR 1=1 --", "${jndi:ldap://x}", "../../", "\u0455tudio", "FUZZ", "a-b-c");
    /** Shared by all fuzz connections so that they meet and relay to each other. */
    private static final List<String> ROOMS = List.of("fuzz-a", "fuzz-b", "FUZZ-A", "fuzz-c");

    private final Random random;

    public FuzzFrames(long seed) {
        this.random = new Random(seed);
    }

    public String next() {
        String frame = random.nextInt(2) == 0 ? generated() : mutated(valid());
        return validUtf16(frame);
    }

    /** A well-formed frame a real client could send. */
    private String valid() {
        return switch (random.nextInt(8)) {
            case 0 -> "{\"type\":\"join\",\"room\":\"" + pick(ROOMS) + "\",\"name\":\"" + word() + "\"}";
            case 1 -> "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n\"}";
            case 2 -> "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}";
            case 3 -> "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0.1 "
                    + random.nextInt(65536) + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
            case 4 -> "{\"type\":\"candidate\",\"candidate\":null}";
            case 5 -> "{\"type\":\"hangup\"}";
            case 6 -> "{\"type\":\"reject\",\"reason\":\"busy\"}";
            default -> random.nextBoolean() ? "{\"type\":\"leave\"}" : "{\"type\":\"ping\"}";
        };
    }

    /** A frame assembled from protocol keys and hostile values. */
    private String generated() {
        StringBuilder frame = new StringBuilder("{");
        int fields = random.nextInt(6);
        if (random.nextInt(5) != 0) {
            frame.append("\"type\":").append(random.nextInt(6) == 0 ? value(0) : quote(pick(TYPES)));
            if (fields > 0) {
                frame.append(',');
            }
        }
        for (int i = 0; i < fields; i++) {
            frame.append(quote(random.nextInt(4) == 0 ? text() : pick(KEYS))).append(':').append(value(0));
            if (i < fields - 1) {
                frame.append(',');
            }
        }
        return frame.append('}').toString();
    }

    private String value(int depth) {
        int kind = random.nextInt(depth > 10 ? 3 : 6);
        return switch (kind) {
            case 0 -> pick(ATOMS);
            case 1, 2 -> quote(text());
            case 3 -> random.nextInt(20) == 0 ? "[".repeat(random.nextInt(40)) + "]".repeat(random.nextInt(40))
                    : "[" + value(depth + 1) + (random.nextBoolean() ? "," + value(depth + 1) : "") + "]";
            case 4 -> "{" + quote(pick(KEYS)) + ":" + value(depth + 1)
                    + (random.nextInt(4) == 0 ? "," + quote(pick(KEYS)) + ":" + value(depth + 1) : "") + "}";
            default -> quote(pick(ROOMS));
        };
    }

    /** A string body (already escaped as JSON needs, or deliberately not). */
    private String text() {
        return switch (random.nextInt(6)) {
            case 0 -> pick(NASTY_TEXT);
            case 1 -> word().repeat(1 + random.nextInt(random.nextInt(50) == 0 ? 12_000 : 20));
            case 2 -> "x".repeat(random.nextInt(3) == 0 ? 32 * 1024 + random.nextInt(3) - 1 : 1 + random.nextInt(70));
            case 3 -> randomCodePoints(1 + random.nextInt(40));
            default -> word();
        };
    }

    private String mutated(String frame) {
        StringBuilder s = new StringBuilder(frame);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, pick(List.of("\"", "{", "}", "[", "]", ",", ":", "\\", " ", "\\u", "null")));
                case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(20))));
                case 4 -> s.setLength(at);
                case 5 -> s.insert(at, randomCodePoints(1 + random.nextInt(3)));
                default -> s.insert(Math.max(0, s.length() - 1), ",\"type\":\"" + pick(TYPES) + "\"");
            }
        }
        return s.toString();
    }

    private String word() {
        int length = 1 + random.nextInt(12);
        StringBuilder w = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            w.append((char) ('a' + random.nextInt(26)));
        }
        return w.toString();
    }

    /** Code points from the whole range, escaped where JSON requires it. */
    private String randomCodePoints(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x800 + random.nextInt(0xF800);
                default -> 0x10000 + random.nextInt(0x100000);
            };
            if (cp < 0x20 || cp == '"' || cp == '\\') {
                s.append(String.format("\\u%04x", cp));
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                s.append(String.format("\\u%04x", cp)); // a lone surrogate, but only as a JSON escape
            } else {
                s.appendCodePoint(cp);
            }
        }
        return s.toString();
    }

    private static String quote(String body) {
        return "\"" + body + "\"";
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** Replaces unpaired surrogates (a mutation may split a pair), which no UTF-8 encoder can send. */
    static String validUtf16(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c) ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (Character.isHighSurrogate(c) && !lone) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (lone && out == null) {
                out = new StringBuilder(s.substring(0, i));
            }
            if (out != null) {
                out.append(lone ? '?' : c);
            }
        }
        return out == null ? s : out.toString();
    }
}
