package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.signaling.Inbound.Type;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    // --- every type --------------------------------------------------------------------------------

    @Test
    void joinDecodesAllItsFields() {
        Inbound m = codec.decode("{\"type\":\"join\",\"room\":\"Demo\",\"name\":\"Alice\",\"password\":\"pw\","
                + "\"token\":\"jwt\",\"resume\":\"rt\"}");

        assertEquals(Type.JOIN, m.type());
        assertEquals("Demo", m.room());
        assertEquals("Alice", m.name());
        assertEquals("pw", m.password());
        assertEquals("jwt", m.token());
        assertEquals("rt", m.resume());
    }

    @Test
    void bareJoinHasNoOptionalFields() {
        Inbound m = codec.decode("{\"type\":\"join\"}");

        assertEquals(Type.JOIN, m.type());
        assertNull(m.room());
        assertNull(m.name());
        assertNull(m.password());
        assertNull(m.resume());
    }

    @Test
    void offerAndAnswerCarryToAndSdp() {
        Inbound offer = codec.decode("{\"type\":\"offer\",\"to\":\"p1\",\"sdp\":\"v=0\\r\\n\"}");
        Inbound answer = codec.decode("{\"type\":\"answer\",\"sdp\":\"v=0\"}");

        assertEquals(Type.OFFER, offer.type());
        assertEquals("p1", offer.to());
        assertEquals("v=0\r\n", sdp(offer));
        assertEquals(Type.ANSWER, answer.type());
        assertNull(answer.to());
        assertEquals("v=0", sdp(answer));
    }

    @Test
    void candidateCarriesTheCandidateObject() {
        Inbound m = codec.decode("{\"type\":\"candidate\",\"to\":\"p1\",\"candidate\":"
                + "{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 5000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");

        assertEquals(Type.CANDIDATE, m.type());
        assertEquals("p1", m.to());
        JsonObject c = Json.createReader(new StringReader(m.candidate())).readObject();
        assertEquals("0", c.getString("sdpMid"));
        assertEquals(0, c.getInt("sdpMLineIndex"));
    }

    @Test
    void nullCandidateIsEndOfCandidates() {
        Inbound m = codec.decode("{\"type\":\"candidate\",\"candidate\":null}");

        assertEquals(Type.CANDIDATE, m.type());
        assertNull(m.candidate());
    }

    @Test
    void rejectHangupLeavePingDecode() {
        Inbound reject = codec.decode("{\"type\":\"reject\",\"to\":\"p1\",\"reason\":\"busy\"}");
        assertEquals(Type.REJECT, reject.type());
        assertEquals("p1", reject.to());
        assertEquals("busy", reject.reason());
        assertNull(codec.decode("{\"type\":\"reject\"}").reason());

        Inbound hangup = codec.decode("{\"type\":\"hangup\",\"to\":\"p2\"}");
        assertEquals(Type.HANGUP, hangup.type());
        assertEquals("p2", hangup.to());

        assertEquals(Type.LEAVE, codec.decode("{\"type\":\"leave\"}").type());
        assertEquals(Type.PING, codec.decode("{\"type\":\"ping\"}").type());
    }

    // --- bad-message -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "{\"type\":\"join\"",
        "",
        "[{\"type\":\"ping\"}]",
        "\"ping\"",
        "{}",
        "{\"room\":\"demo\"}",
        "{\"type\":null}",
        "{\"type\":7}",
        "{\"type\":\"dance\"}",
        "{\"type\":\"PING\"}",
        "{\"type\":\"join\",\"room\":5}",
        "{\"type\":\"join\",\"name\":{\"first\":\"A\"}}",
        "{\"type\":\"join\",\"password\":true}",
        "{\"type\":\"join\",\"resume\":[]}",
        "{\"type\":\"offer\"}",
        "{\"type\":\"offer\",\"sdp\":42}",
        "{\"type\":\"answer\",\"to\":1,\"sdp\":\"v=0\"}",
        "{\"type\":\"candidate\"}",
        "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 5000 typ host\"}",
        "{\"type\":\"candidate\",\"candidate\":[]}",
        "{\"type\":\"candidate\",\"candidate\":5}",
        "{\"type\":\"reject\",\"reason\":false}"
    })
    void malformedFramesAreBadMessage(String frame) {
        assertCode("bad-message", frame);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ping\",\"type\":\"leave\"}",
        "{\"type\":\"join\",\"room\":\"a\",\"room\":\"b\"}",
        "{\"type\":\"ping\",\"\\u0074ype\":\"ping\"}",
        "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a\",\"candidate\":\"b\"}}",
        "{\"type\":\"ping\",\"x\":[{\"k\":1,\"k\":2}]}"
    })
    void duplicateKeysAtAnyDepthAreBadMessage(String frame) {
        assertCode("bad-message", frame);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"join\",\"name\":\"a\\ud800b\"}",
        "{\"type\":\"join\",\"name\":\"\\udc00\"}",
        "{\"type\":\"offer\",\"sdp\":\"v=0\\ude00\"}",
        "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"\\ud83d\"}}",
        "{\"type\":\"reject\",\"reason\":\"\\ud83d\\ud83d\"}",
        "{\"type\":\"ping\",\"\\ud800\":1}"
    })
    void escapedLoneSurrogatesAreBadMessage(String frame) {
        assertCode("bad-message", frame);
    }

    @Test
    void escapedSurrogatePairsAndRawNonAsciiAreFine() {
        assertEquals("\uD83D\uDE00 \u00e9", codec.decode("{\"type\":\"join\",\"name\":\"\\ud83d\\ude00 \u00e9\"}").name());
        assertCode("bad-message", "{\"type\":\"join\",\"name\":\"x\uD800\"}"); // a raw lone surrogate, if a container let one through
    }

    @Test
    void nestingDeeperThanAFrameNeedsIsBadMessage() {
        String nine = "{\"type\":\"ping\",\"x\":" + "[".repeat(8) + "]".repeat(8) + "}";
        String eight = "{\"type\":\"ping\",\"x\":" + "[".repeat(7) + "]".repeat(7) + "}";
        assertCode("bad-message", nine);
        assertEquals(Type.PING, codec.decode(eight).type());
        // The provider's own limit would throw a plain RuntimeException here (Parsson: over 1,000 levels).
        assertCode("bad-message", "{\"type\":\"ping\",\"x\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}");
        assertCode("bad-message", "[".repeat(60_000));
    }

    @Test
    void bracketsInsideStringsDoNotCountAsNesting() {
        Inbound m = codec.decode("{\"type\":\"join\",\"name\":\"[[[[[[[[[[{{{{{{{{\\\"\"}");

        assertEquals("[[[[[[[[[[{{{{{{{{\"", m.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\"} x", "{\"type\":\"ping\"}{\"type\":\"ping\"}", "{\"type\":\"ping\"}]"})
    void contentAfterTheFrameIsBadMessage(String frame) {
        assertCode("bad-message", frame);
    }

    @Test
    void whitespaceAroundTheFrameIsFine() {
        assertEquals(Type.PING, codec.decode(" \r\n\t{\"type\":\"ping\"} \n").type());
    }

    @Test
    void nameOverSixtyFourCharactersIsBadMessage() {
        assertCode("bad-message", join("n".repeat(65)));
    }

    @Test
    void nameOfExactlySixtyFourCharactersIsAccepted() {
        assertEquals("n".repeat(64), codec.decode(join("n".repeat(64))).name());
    }

    @Test
    void nameLengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00".repeat(64); // 64 characters, 128 UTF-16 units

        assertEquals(emoji, codec.decode(join(emoji)).name());
        assertCode("bad-message", join(emoji + "x"));
    }

    @Test
    void blankNameMeansNoName() {
        assertNull(codec.decode(join("   ")).name());
        assertEquals("Alice", codec.decode(join("  Alice ")).name());
    }

    // --- too-large ---------------------------------------------------------------------------------

    @Test
    void sdpOfExactly32KiBIsAccepted() {
        String sdp = "a".repeat(32 * 1024);

        assertEquals(sdp, sdp(codec.decode(offer(sdp))));
    }

    @Test
    void sdpOver32KiBIsTooLarge() {
        assertCode("too-large", offer("a".repeat(32 * 1024 + 1)));
    }

    @Test
    void sdpLimitCountsUtf8Bytes() {
        String twoByteChars = "é".repeat(16 * 1024 + 1); // 16385 characters, 32770 bytes

        assertCode("too-large", offer(twoByteChars));
        assertEquals("é".repeat(16 * 1024), sdp(codec.decode(offer("é".repeat(16 * 1024)))));
        // Three bytes a character: the length alone (under a third of the limit) no longer tells.
        assertCode("too-large", offer("€".repeat(10_923))); // 32,769 bytes
        assertEquals("€".repeat(10_922), sdp(codec.decode(offer("€".repeat(10_922)))));
    }

    @Test
    void aRawLoneSurrogateDeepInsideALongSdpIsBadMessage() {
        String lines = "a=candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host\\r\\n".repeat(50);
        String frame = "{\"type\":\"offer\",\"to\":\"p1\",\"sdp\":\"" + lines;

        assertCode("bad-message", frame + "\uDC00" + lines + "\"}");
        assertCode("bad-message", frame + "\uD83D" + lines + "\"}");
        String decoded = "a=candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host\r\n".repeat(50);
        assertEquals(decoded + "\uD83D\uDE00" + decoded, sdp(codec.decode(frame + "\uD83D\uDE00" + lines + "\"}")),
                "a pair is fine");
    }

    @Test
    void candidateOver1KiBIsTooLarge() {
        assertCode("too-large", candidateFrame(candidateOfSize(1025)));
    }

    @Test
    void candidateOfExactly1KiBIsAccepted() {
        JsonObject candidate = candidateOfSize(1024);

        assertEquals(candidate, Json.createReader(new StringReader(codec.decode(candidateFrame(candidate)).candidate())).readObject());
    }

    // --- leniency ----------------------------------------------------------------------------------

    @Test
    void unknownFieldsAreIgnored() {
        Inbound m = codec.decode("{\"type\":\"offer\",\"sdp\":\"v=0\",\"from\":\"spoofed\",\"x-extra\":{\"a\":1},"
                + "\"room\":5}");

        assertEquals(Type.OFFER, m.type());
        assertEquals("v=0", sdp(m));
        assertNull(m.room(), "fields an offer does not use are not read");
    }

    @Test
    void nullOptionalFieldsAreTreatedAsAbsent() {
        Inbound m = codec.decode("{\"type\":\"join\",\"room\":null,\"name\":null,\"resume\":null}");

        assertNull(m.room());
        assertNull(m.name());
        assertNull(m.resume());
    }

    // --- typeOf (the error's ref) ------------------------------------------------------------------

    @Test
    void typeOfReturnsTheKnownTypeOfAFrame() {
        assertEquals("offer", MessageCodec.typeOf("{\"type\":\"offer\",\"sdp\":42}"));
        assertEquals("join", MessageCodec.typeOf("{\"type\":\"join\",\"name\":\"" + "n".repeat(100) + "\"}"));
    }

    @Test
    void typeOfIsNullWithoutAKnownType() {
        assertNull(MessageCodec.typeOf("not json"));
        assertNull(MessageCodec.typeOf("[1]"));
        assertNull(MessageCodec.typeOf("{\"type\":\"dance\"}"));
        assertNull(MessageCodec.typeOf("{\"type\":3}"));
        assertNull(MessageCodec.typeOf("{}"));
    }

    @Test
    void theSdpIsKeptAsTheClientWroteIt() {
        String written = "\"v=0\\r\\na=x \\u00e9\\/\\\"\"";
        Inbound m = codec.decode("{\"type\":\"offer\",\"sdp\":" + written + "}");

        assertEquals(written, m.sdp(), "relayed as written, not decoded and encoded again");
        assertEquals("v=0\r\na=x \u00e9/\"", sdp(m));
    }

    @Test
    void sdpLimitCountsTheDecodedTextNotItsEscapes() {
        String escaped = "\\u0061".repeat(32 * 1024); // 32 KiB of 'a', written in six times as many characters

        assertEquals("a".repeat(32 * 1024), sdp(codec.decode("{\"type\":\"offer\",\"sdp\":\"" + escaped + "\"}")));
        assertCode("too-large", "{\"type\":\"offer\",\"sdp\":\"" + escaped + "a\"}");
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** The SDP a frame carries, read from the JSON string the codec keeps of it. */
    private static String sdp(Inbound m) {
        return Json.createReader(new StringReader("[" + m.sdp() + "]")).readArray().getString(0);
    }

    private void assertCode(String code, String frame) {
        SignalException e = assertThrows(SignalException.class, () -> codec.decode(frame), frame);
        assertEquals(code, e.code(), frame);
    }

    private static String join(String name) {
        return Json.createObjectBuilder().add("type", "join").add("name", name).build().toString();
    }

    private static String offer(String sdp) {
        return Json.createObjectBuilder().add("type", "offer").add("sdp", sdp).build().toString();
    }

    private static String candidateFrame(JsonValue candidate) {
        return Json.createObjectBuilder().add("type", "candidate").add("candidate", candidate).build().toString();
    }

    /** A candidate object whose compact JSON is exactly {@code bytes} long. */
    private static JsonObject candidateOfSize(int bytes) {
        String prefix = "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host ";
        JsonObject empty = Json.createObjectBuilder().add("candidate", prefix).add("sdpMid", "0")
                .add("sdpMLineIndex", 0).build();
        int padding = bytes - empty.toString().length();
        JsonObject c = Json.createObjectBuilder().add("candidate", prefix + "x".repeat(padding)).add("sdpMid", "0")
                .add("sdpMLineIndex", 0).build();
        assertEquals(bytes, c.toString().length());
        return c;
    }
}
