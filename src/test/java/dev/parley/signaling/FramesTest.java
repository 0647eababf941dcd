package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The relayed frames Parley writes by hand (offer, answer, candidate) must be JSON that any parser reads back to
 * exactly what the sender sent, whatever the text holds: quotes, backslashes, every control character,
 * non-ASCII and characters outside the BMP, however the sender's JSON escaped them. The SDP goes from the client's
 * frame through {@link MessageCodec} to {@link Frames#sdp}, as on the relay path.
 */
class FramesTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void anSdpComesOutAsTheSameStringWhateverItHolds() {
        StringBuilder awkward = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=\"quoted\" back\\slash / solidus\t");
        for (char c = 0; c < 0x20; c++) {
            awkward.append(c);
        }
        awkward.append("\u007f é € \uD83D\uDE00 \u2028\u2029 end");
        JsonObject frame = read(relayed(Json.createObjectBuilder().add("type", "offer").add("sdp", awkward.toString())
                .build().toString()));

        assertEquals("offer", frame.getString("type"));
        assertEquals("p-1", frame.getString("from"));
        assertEquals("c-9", frame.getString("callId"));
        assertEquals(awkward.toString(), frame.getString("sdp"));
        assertEquals(4, frame.size(), "type, from, callId and sdp only");
    }

    @Test
    void randomTextSurvivesTheRoundTrip() {
        Random random = new Random(20261203L);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(200); i > 0; i--) {
                int kind = random.nextInt(4);
                if (kind == 0) {
                    text.append((char) random.nextInt(0x80)); // ASCII, control characters included
                } else if (kind == 1) {
                    text.append("\"\\/\r\n".charAt(random.nextInt(5)));
                } else if (kind == 2) {
                    text.append((char) (0x80 + random.nextInt(0xD800 - 0x80))); // BMP below the surrogates
                } else {
                    text.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a surrogate pair
                }
            }
            String sent = n % 2 == 0 ? Json.createObjectBuilder().add("type", "answer").add("sdp", text.toString()).build()
                    .toString() : "{\"type\":\"answer\",\"sdp\":" + everyCharacterEscaped(text) + "}";
            assertEquals(text.toString(), read(relayed(sent)).getString("sdp"), "case " + n + ": " + sent);
        }
    }

    @Test
    void aCandidateIsRelayedAsTheObjectItWasAndNullAsEndOfCandidates() {
        String candidate = "{\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"a\\\"b\"}";
        JsonObject frame = read(Frames.candidate("p-1", "c-9", candidate));

        assertEquals("candidate", frame.getString("type"));
        assertEquals(read(candidate), frame.getJsonObject("candidate"));
        assertEquals("c-9", frame.getString("callId"));

        JsonObject end = read(Frames.candidate("p-1", null, null));
        assertEquals(JsonValue.NULL, end.get("candidate"));
        assertEquals(JsonValue.NULL, end.get("callId"), "a candidate before any call carries callId null");
    }

    @Test
    void controlCharactersAreEscapedNeverWrittenRaw() {
        String frame = relayed("{\"type\":\"offer\",\"sdp\":\"a\\u0000b\\u001fc\\nd\"}");

        assertTrue(frame.chars().noneMatch(c -> c < 0x20), frame);
        assertTrue(frame.contains("a\\u0000b\\u001fc\\nd"), frame);
        // Written raw by the client, they never get as far as a peer.
        SignalException e = assertThrows(SignalException.class, () -> codec.decode("{\"type\":\"offer\",\"sdp\":\"a\u0001\"}"));
        assertEquals("bad-message", e.code());
    }

    /** What the peer receives for a client's offer or answer frame. */
    private String relayed(String sent) {
        Inbound m = codec.decode(sent);
        return Frames.sdp(m.type().wire, "p-1", "c-9", m.sdp());
    }

    /** {@code text} as a JSON string with every character written as a {@code \\u} escape. */
    private static String everyCharacterEscaped(CharSequence text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
        return out.append('"').toString();
    }

    private static JsonObject read(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
