package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.signaling.FrameReader.Field;
import dev.parley.signaling.FrameReader.Kind;
import dev.parley.testing.FuzzFrames;
import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parley reads client frames with its own JSON reader, so it is held to a reference: Parsson, the Jakarta JSON-P
 * implementation, with duplicate keys refused. On frames from the fuzz generator and on hand-picked corner cases,
 * the reader must accept exactly what the reference accepts under PROTOCOL.md's extra rules (an object at the root,
 * nesting of at most 8, nothing after the root, strings that are Unicode text), and read the same values.
 */
class FrameReaderTest {

    private static final JsonReaderFactory REFERENCE =
            Json.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

    @Test
    void agreesWithTheReferenceOnFuzzedFrames() {
        FuzzFrames frames = new FuzzFrames(20261203L);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            accepted += compare(frames.next()) ? 1 : 0;
        }
        // Both verdicts must be well represented, or the comparison proves little.
        assertTrue(accepted > 10_000 && accepted < 40_000, accepted + " of 50,000 accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", " {\"type\":\"ping\"}\r\n\t ", "{\"type\":\"ping\",}", "{\"type\":\"ping\" \"x\":1}", "{\"type\"}",
        "{\"type\":}", "{type:\"ping\"}", "{'type':'ping'}", "{\"type\":\"ping\"", "{\"type\":\"ping", "{\"type",
        "{", "}", "", "   ", "[]", "\"ping\"", "7", "null",
        "{\"x\":[1,2,]}", "{\"x\":[,]}", "{\"x\":[1 2]}", "{\"x\":[]}", "{\"x\":[[],{}]}", "{\"x\":{\"a\":{}}}",
        "{\"x\":0}", "{\"x\":-0}", "{\"x\":01}", "{\"x\":-}", "{\"x\":1.}", "{\"x\":.5}", "{\"x\":1.5e}",
        "{\"x\":1e+}", "{\"x\":1E-7}", "{\"x\":-12.5e+30}", "{\"x\":+1}", "{\"x\":0x10}", "{\"x\":NaN}",
        "{\"x\":Infinity}", "{\"x\":1e309}", "{\"x\":tru}", "{\"x\":truee}", "{\"x\":nul}", "{\"x\":True}",
        "{\"x\":\"\\u00e9\\u00E9\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", "{\"x\":\"\\x41\"}", "{\"x\":\"\\u00g0\"}",
        "{\"x\":\"\\u00e\"}", "{\"x\":\"\\\"}", "{\"x\":\"a\tb\"}", "{\"x\":\"a\u0000b\"}", "{\"x\":\"a\u007fb\"}",
        "{\"x\":\"\\ud83d\\ude00\"}", "{\"x\":\"\\ud83d\"}", "{\"x\":\"\\ude00\\ud83d\"}", "{\"x\":\"\\ud83d\\u0041\"}",
        "{\"x\":\"\\ud83d\\\\ude00\"}", "{\"\\u0078\":1,\"x\":2}", "{\"x\":1,\"X\":2}", "{\"a\":{\"b\":1,\"b\":1}}",
        "{\"type\":\"ping\"}{}", "{\"type\":\"ping\"}x", "{\"type\":\"ping\"} \u00a0", "\uFEFF{\"type\":\"ping\"}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"a\":11}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11}"
    })
    void agreesWithTheReferenceOnCornerCases(String frame) {
        compare(frame);
    }

    @Test
    void keepsTheProtocolsFieldsAsWrittenAndDecodesThemOnRequest() {
        String sdp = "\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\na=\\\"x\\\" \\u00e9\\/\"";
        String candidate = "{ \"candidate\" : \"candidate:1 1 udp 1 10.0.0.1 9 typ host\", \"sdpMid\": \"0\" }";
        FrameReader json = FrameReader.read("{\"type\":\"offer\",\"sdp\":" + sdp + ",\"candidate\":" + candidate
                + ",\"to\":null,\"extra\":[1,{\"type\":\"not me\"}],\"room\":7}");

        assertEquals("offer", json.string(Field.TYPE));
        assertEquals(sdp, json.raw(Field.SDP), "the SDP as written, escapes and all");
        assertEquals("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=\"x\" \u00e9/", json.string(Field.SDP));
        assertEquals(json.string(Field.SDP).getBytes(StandardCharsets.UTF_8).length,
                json.utf8Length(Field.SDP));
        assertEquals(candidate, json.raw(Field.CANDIDATE));
        assertEquals(Kind.OBJECT, json.kind(Field.CANDIDATE));
        assertEquals(Kind.NULL, json.kind(Field.TO));
        assertNull(json.string(Field.TO));
        assertEquals(Kind.NUMBER, json.kind(Field.ROOM));
        assertEquals(Kind.ABSENT, json.kind(Field.NAME), "a nested 'type' is not the frame's");
    }

    @Test
    void anErrorSaysWhatIsWrongAndWhere() {
        assertEquals("not valid JSON: expected a key in quotation marks (at character 16)",
                message("{\"type\":\"ping\",}"));
        assertEquals("not valid JSON: expected ',' or '}' (at character 16)", message("{\"type\":\"ping\" \"x\":1}"));
        assertEquals("not valid JSON: control characters in a string must be escaped (at character 12)",
                message("{\"type\":\"pi\nng\"}"));
        assertEquals("the key 'room' appears twice in one object", message("{\"room\":\"a\",\"type\":\"join\",\"r\\u006fom\":\"b\"}"));
        assertEquals("a frame must be a JSON object", message("[{\"type\":\"ping\"}]"));
        assertEquals("JSON nested deeper than 8 levels", message("{\"x\":" + "[".repeat(8) + "]".repeat(8) + "}"));
    }

    @Test
    void aLongKeyTwiceIsShownCutBetweenCharactersNotInsideOne() {
        String key = "a".repeat(39) + "\uD83D\uDE00b"; // an emoji across the 40th character: a surrogate pair

        String shown = message("{\"type\":\"ping\",\"" + key + "\":1,\"" + key + "\":2}");

        assertEquals("the key '" + "a".repeat(39) + "\uD83D\uDE00…' appears twice in one object", shown);
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(shown), "the error frame can be sent: " + shown);
    }

    @Test
    void aHugeObjectOfDistinctKeysIsReadInLinearTime() {
        StringBuilder frame = new StringBuilder("{\"type\":\"ping\"");
        for (int i = 0; i < 6_000; i++) {
            frame.append(",\"k").append(i).append("\":0");
        }
        String distinct = frame.append('}').toString();
        assertEquals("ping", FrameReader.read(distinct).string(Field.TYPE));
        assertEquals("the key 'k5999' appears twice in one object",
                message(distinct.substring(0, distinct.length() - 1) + ",\"k5999\":1}"));
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        assertEquals("JSON nested deeper than 8 levels",
                message("{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        assertEquals("JSON nested deeper than 8 levels", message("{\"x\":" + "{\"a\":".repeat(50_000)));
    }

    // --- the reference -----------------------------------------------------------------------------

    /** Asserts both readers agree on {@code frame}; returns whether they accepted it. */
    private static boolean compare(String frame) {
        JsonObject expected = reference(frame);
        FrameReader actual;
        try {
            actual = FrameReader.read(frame);
        } catch (SignalException e) {
            assertEquals("bad-message", e.code());
            if (expected != null) {
                fail("refused (" + e.getMessage() + ") what the reference accepts: " + frame);
            }
            return false;
        }
        if (expected == null) {
            fail("accepted what the reference refuses: " + frame);
        }
        for (Field field : Field.values()) {
            JsonValue value = expected.get(field.key);
            Kind kind = actual.kind(field);
            if (value == null) {
                assertEquals(Kind.ABSENT, kind, field + " of " + frame);
                continue;
            }
            assertEquals(value, parse(actual.raw(field)), field + " of " + frame);
            assertEquals(value.getValueType().name(), kind.name(), field + " of " + frame);
            if (value instanceof JsonString s) {
                assertEquals(s.getString(), actual.string(field), field + " of " + frame);
                assertEquals(s.getString().getBytes(StandardCharsets.UTF_8).length, actual.utf8Length(field),
                        field + " of " + frame);
            }
        }
        return true;
    }

    /** The reference's reading of {@code frame} under the protocol's rules, or null if it refuses it. */
    private static JsonObject reference(String frame) {
        JsonValue value;
        try (JsonReader reader = REFERENCE.createReader(new StringReader(frame))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            return null;
        }
        if (!(value instanceof JsonObject object) || depth(value) > FrameReader.MAX_DEPTH || !unicode(object)
                || !endsAfterRoot(frame) || hasLoneRawSurrogate(frame)) {
            return null;
        }
        return object;
    }

    private static int depth(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> 1 + value.asJsonObject().values().stream().mapToInt(FrameReaderTest::depth).max().orElse(0);
            case ARRAY -> 1 + value.asJsonArray().stream().mapToInt(FrameReaderTest::depth).max().orElse(0);
            default -> 0;
        };
    }

    /** Every string, keys included, decodes to Unicode text. */
    private static boolean unicode(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> Utf8.isUnicode(((JsonString) value).getString());
            case OBJECT -> value.asJsonObject().entrySet().stream()
                    .allMatch(e -> Utf8.isUnicode(e.getKey()) && unicode(e.getValue()));
            case ARRAY -> value.asJsonArray().stream().allMatch(FrameReaderTest::unicode);
            default -> true;
        };
    }

    /** Only JSON whitespace after the root value (the reference's reader does not look past it). */
    private static boolean endsAfterRoot(String frame) {
        try (JsonParser parser = Json.createParser(new StringReader(frame))) {
            parser.next();
            parser.skipObject();
            int end = (int) parser.getLocation().getStreamOffset();
            return frame.substring(end).chars().allMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r');
        }
    }

    private static boolean hasLoneRawSurrogate(String frame) {
        return !Utf8.isUnicode(frame);
    }

    private static JsonValue parse(String json) {
        return REFERENCE.createReader(new StringReader("[" + json + "]")).readArray().get(0);
    }

    private static String message(String frame) {
        SignalException e = assertThrows(SignalException.class, () -> FrameReader.read(frame), frame);
        assertEquals("bad-message", e.code());
        return e.getMessage();
    }
}
