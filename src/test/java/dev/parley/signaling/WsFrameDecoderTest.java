package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client frames as RFC 6455 §5 writes them, in whatever slices TCP delivers them, into messages or a close code. */
class WsFrameDecoderTest {

    private static final int MAX = 65536;

    /** What the decoder reported, one line per event. */
    private final List<String> events = new ArrayList<>();

    private final WsFrameDecoder.Sink sink = new WsFrameDecoder.Sink() {
        @Override
        public void text(String message) {
            events.add("text:" + message);
        }

        @Override
        public void binary() {
            events.add("binary");
        }

        @Override
        public void ping(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void closed(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void failed(int code, String reason) {
            events.add("fail:" + code);
        }
    };

    /** A client frame: FIN and opcode in b0, masked with a key that changes every byte. */
    static byte[] frame(int b0, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        int len = payload.length;
        if (len < 126) {
            out.write(0x80 | len);
        } else if (len < 65536) {
            out.write(0x80 | 126);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) len >>> shift));
            }
        }
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        out.writeBytes(mask);
        for (int i = 0; i < len; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private List<String> decode(byte[] bytes, int... cuts) {
        events.clear();
        WsFrameDecoder decoder = new WsFrameDecoder(MAX, sink);
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(Arrays.copyOfRange(bytes, from, cut), 0, cut - from); // a fresh array: the caller's is reused
            from = cut;
        }
        decoder.feed(Arrays.copyOfRange(bytes, from, bytes.length), 0, bytes.length - from);
        return List.copyOf(events);
    }

    @Test
    void framesOfEverySizeClassDecodeWhereverTcpSplitsThem() {
        String offer = "{\"type\":\"offer\",\"sdp\":\"" + "v=0 ".repeat(800) + "\"}"; // 3.2 KB: a 16-bit length
        String big = "x".repeat(MAX); // exactly the limit: a 64-bit length
        byte[] stream = concat(frame(0x81, text("{\"type\":\"ping\"}")), frame(0x81, text(offer)),
                frame(0x81, text(big)), frame(0x81, text("é€😀")));
        List<String> expected = List.of("text:{\"type\":\"ping\"}", "text:" + offer, "text:" + big, "text:é€😀");

        assertEquals(expected, decode(stream));
        for (int cut = 1; cut < stream.length; cut += cut < 200 ? 1 : 997) {
            assertEquals(expected, decode(stream, cut), "split at byte " + cut);
        }
        int[] everyByte = new int[stream.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertEquals(expected, decode(stream, everyByte), "one byte at a time");
    }

    @Test
    void aFragmentedMessageIsJoinedAcrossControlFramesAndSplitCharacters() {
        byte[] emoji = text("😀"); // four bytes, split two and two across the fragments
        byte[] stream = concat(
                frame(0x01, concat(text("{\"name\":\"a"), Arrays.copyOf(emoji, 2))),
                frame(0x89, text("are you there")),
                frame(0x00, concat(Arrays.copyOfRange(emoji, 2, 4), text("b\"}"))),
                frame(0x8A, new byte[0]),
                frame(0x80, new byte[0]));

        assertEquals(List.of("ping:are you there", "pong", "text:{\"name\":\"a😀b\"}"), decode(stream));
        assertEquals(List.of("ping:are you there", "pong", "text:{\"name\":\"a😀b\"}"), decode(stream, 3, 20, 40));
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() {
        assertEquals(List.of("fail:1007"), decode(frame(0x81, new byte[] {'{', (byte) 0xC3, '}'})));
        assertEquals(List.of("fail:1007"), decode(frame(0x81, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                "an encoded lone surrogate");
        assertEquals(List.of("fail:1007"), decode(concat(frame(0x01, new byte[] {(byte) 0xF0, (byte) 0x9F}),
                frame(0x80, new byte[0]))), "a message ending inside a character");
    }

    @Test
    void protocolViolationsCloseWith1002AndNothingAfterIsRead() {
        byte[] after = frame(0x81, text("after"));
        byte[] unmasked = {(byte) 0x81, 2, 'h', 'i'};
        assertEquals(List.of("fail:1002"), decode(concat(unmasked, after)), "unmasked");
        assertEquals(List.of("fail:1002"), decode(concat(frame(0xC1, text("hi")), after)), "RSV1 without an extension");
        assertEquals(List.of("fail:1002"), decode(concat(frame(0x83, text("hi")), after)), "reserved data opcode");
        assertEquals(List.of("fail:1002"), decode(concat(frame(0x8B, text("hi")), after)), "reserved control opcode");
        assertEquals(List.of("fail:1002"), decode(concat(frame(0x09, text("hi")), after)), "fragmented ping");
        assertEquals(List.of("fail:1002"), decode(frame(0x89, new byte[126])), "ping over 125 bytes");
        assertEquals(List.of("fail:1002"), decode(frame(0x80, text("hi"))), "continuation of nothing");
        assertEquals(List.of("fail:1002"), decode(concat(frame(0x01, text("a")), frame(0x81, text("b")))),
                "a new message inside a fragmented one");
        byte[] hugeLength = {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertEquals(List.of("fail:1002"), decode(hugeLength), "a 64-bit length with its top bit set");
    }

    @Test
    void aMessageOverTheLimitClosesWith1009BeforeItsPayloadArrives() {
        byte[] tooBig = frame(0x81, text("x".repeat(MAX + 1)));
        assertEquals(List.of("fail:1009"), decode(Arrays.copyOf(tooBig, 14)), "the header alone is enough");
        byte[] fragments = concat(frame(0x01, text("x".repeat(MAX / 2))), frame(0x00, text("x".repeat(MAX / 2))),
                frame(0x80, text("x")));
        assertEquals(List.of("fail:1009"), decode(fragments), "fragments count together");
    }

    @Test
    void afterAMessageTooLargeOrNotUtf8OnlyTheClientsCloseIsRead() {
        byte[] answer = frame(0x88, new byte[] {3, (byte) 0xF1});
        byte[] tooBig = frame(0x81, text("x".repeat(MAX + 1)));
        byte[] stream = concat(tooBig, frame(0x81, text("ignored")), frame(0x89, new byte[0]), answer);
        assertEquals(List.of("fail:1009", "close:1009:"), decode(stream));
        assertEquals(List.of("fail:1009", "close:1009:"), decode(stream, 14, 30_000, tooBig.length + 3),
                "the oversized payload skipped across reads");
        assertEquals(List.of("fail:1007", "close:1009:"), decode(concat(frame(0x81, new byte[] {(byte) 0xFF}),
                frame(0x01, text("a")), frame(0x00, text("b")), answer)), "fragments after it skipped too");
    }

    @Test
    void binaryMessagesAreReportedOnceAndTheirPayloadSkipped() {
        byte[] stream = concat(frame(0x02, new byte[300]), frame(0x00, new byte[10]), frame(0x80, new byte[10]),
                frame(0x81, text("still reading")));
        assertEquals(List.of("binary", "text:still reading"), decode(stream));
    }

    @Test
    void theClientsCloseGivesItsCodeAndReasonAndEndsReading() {
        byte[] after = frame(0x81, text("after"));
        assertEquals(List.of("close:1005:"), decode(concat(frame(0x88, new byte[0]), after)));
        assertEquals(List.of("close:1000:bye é"), decode(concat(frame(0x88, concat(new byte[] {3, (byte) 0xE8},
                text("bye é"))), after)));
        assertEquals(List.of("close:4001:"), decode(frame(0x88, new byte[] {0x0F, (byte) 0xA1})));
        assertEquals(List.of("fail:1002"), decode(frame(0x88, new byte[] {3})), "a one-byte body");
        assertEquals(List.of("fail:1002"), decode(frame(0x88, new byte[] {3, (byte) 0xED})), "1005 may not be sent");
        assertEquals(List.of("fail:1002"), decode(frame(0x88, new byte[] {0, 100})), "below 1000");
        assertEquals(List.of("fail:1007"), decode(frame(0x88, new byte[] {3, (byte) 0xE8, (byte) 0xFF})),
                "a reason that is not UTF-8");
    }

    @Test
    void aDecoderThatFinishedReportsDone() {
        WsFrameDecoder decoder = new WsFrameDecoder(MAX, sink);
        byte[] ping = frame(0x89, new byte[0]);
        decoder.feed(ping, 0, ping.length);
        assertFalse(decoder.done());
        byte[] close = frame(0x88, new byte[0]);
        decoder.feed(close, 0, close.length);
        assertTrue(decoder.done());
    }

    @Test
    void serverFramesAndTheHandshakeFollowTheRfc() {
        // RFC 6455 §1.3's worked example.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Rfc6455.accept("dGhlIHNhbXBsZSBub25jZQ=="));
        assertTrue(Rfc6455.validKey("dGhlIHNhbXBsZSBub25jZQ=="));
        assertFalse(Rfc6455.validKey("c2hvcnQ="), "8 bytes, not 16");
        assertFalse(Rfc6455.validKey("not base64 at all!!!!!!!"));

        assertEquals(List.of(2, 126, 127), List.of(Rfc6455.frame(0x81, new byte[125], 0, 125).length - 125,
                (int) Rfc6455.frame(0x81, new byte[126], 0, 126)[1],
                (int) Rfc6455.frame(0x81, new byte[65536], 0, 65536)[1]));
        byte[] body = Rfc6455.closeBody(1008, "é".repeat(100)); // 200 bytes of reason, cut to fit a control frame
        assertEquals(2 + 122, body.length, "cut at 123 bytes, back to a character boundary");
        assertEquals(1008, (body[0] & 0xFF) << 8 | (body[1] & 0xFF));
        assertEquals("é".repeat(61), new String(body, 2, body.length - 2, StandardCharsets.UTF_8));
    }
}
