package dev.parley.signaling;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the bytes a client sends on an upgraded connection into WebSocket messages (RFC 6455 §5), for
 * {@link WsConnection}. Bytes come in any slices; what completes a frame is handled at once, a partial frame waits for
 * the rest. Every violation ends the connection with the status code RFC 6455 §7.4.1 gives it: 1002 for a protocol
 * error (an unmasked frame, reserved bits or opcodes, a fragmented or oversized control frame, a continuation of
 * nothing), 1007 for text that is not UTF-8, 1009 for a message over the limit (fragments counted together). After
 * the client's close, or a protocol error, nothing more is read; after the other two, only the client's close.
 * Not thread-safe: one reader thread at a time.
 */
final class WsFrameDecoder {

    /** What the decoder finds. Called on the thread that fed the bytes. */
    interface Sink {
        void text(String message);

        /** A binary message began (its payload is skipped: Parley takes none). */
        void binary();

        void ping(byte[] payload);

        void pong();

        /** The client's close frame: its status code (1005 when it gave none) and its reason. */
        void closed(int code, String reason);

        /** The client broke the protocol: close with this code. */
        void failed(int code, String reason);
    }

    private static final byte[] NONE = new byte[0];

    private final int maxMessageBytes;
    private final Sink sink;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    /**
     * The bytes of a frame begun but not complete: pending[0, pendingEnd). Most reads hold whole frames, which are
     * decoded where they were read: a socket holds no buffer between frames (10,000 idle sockets, no 40 MB of them).
     */
    private byte[] pending = NONE;
    private int pendingEnd;
    /** The array being parsed, during {@link #feed}: the caller's, or {@link #pending}. */
    private byte[] buf;
    /** The fragmented message in progress: its opcode (1 text, 2 binary; 0 none), its size so far, a text's bytes. */
    private int messageOpcode;
    private long messageSize;
    private ByteArrayOutputStream fragments;
    private boolean done;
    /**
     * After a message too large or not UTF-8, the framing can still be trusted: frames are skipped, unread, until the
     * client's answer to the close (a close frame) is found. After a protocol error nothing more is read at all.
     */
    private boolean draining;
    /** Payload bytes still to skip, of a frame being drained. */
    private long skip;

    WsFrameDecoder(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** Whether the client's close or a protocol error has ended reading. */
    boolean done() {
        return done;
    }

    /**
     * Decodes what a read brought. The caller's bytes may be changed (unmasked in place) and are not kept: the caller
     * may reuse its array once this returns.
     */
    void feed(byte[] bytes, int off, int len) {
        if (done) {
            return;
        }
        int start;
        int end;
        if (pendingEnd == 0) {
            buf = bytes;
            start = off;
            end = off + len;
        } else {
            if (pending.length - pendingEnd < len) {
                pending = Arrays.copyOf(pending, Math.max(pendingEnd + len, 2 * pending.length));
            }
            System.arraycopy(bytes, off, pending, pendingEnd, len);
            buf = pending;
            start = 0;
            end = pendingEnd + len;
        }
        int pos = parse(start, end);
        int left = done ? 0 : end - pos;
        if (left == 0) {
            pending = NONE; // a large message passed: let its buffer go
        } else if (buf == pending) {
            System.arraycopy(pending, pos, pending, 0, left);
        } else {
            pending = Arrays.copyOfRange(buf, pos, end);
        }
        pendingEnd = left;
        buf = null;
    }

    /** Handles every whole frame in buf[pos, end); answers where the first incomplete one starts. */
    private int parse(int pos, int end) {
        while (!done) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - pos);
                pos += n;
                skip -= n;
                if (skip > 0) {
                    break;
                }
            }
            if (end - pos < 2) {
                break;
            }
            int b0 = buf[pos] & 0xFF;
            int b1 = buf[pos + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean control = (opcode & 0x08) != 0;
            int lenCode = b1 & 0x7F;
            String violation = draining ? null // only a close is looked for now
                    : (b0 & 0x70) != 0 ? "reserved bits set without an extension"
                    : (b1 & 0x80) == 0 ? "client frames must be masked"
                    : (opcode > 2 && opcode < 8) || opcode > 10 ? "reserved opcode " + opcode
                    : control && !fin ? "fragmented control frame"
                    : control && lenCode > 125 ? "control frame longer than 125 bytes"
                    : opcode == 0 && messageOpcode == 0 ? "continuation frame outside a message"
                    : !control && opcode != 0 && messageOpcode != 0 ? "new message inside a fragmented one"
                    : null;
            if (violation != null) {
                fail(1002, violation);
                break;
            }
            int header = 2 + (lenCode == 126 ? 2 : lenCode == 127 ? 8 : 0) + 4;
            if (end - pos < header) {
                break;
            }
            long len = lenCode < 126 ? lenCode : 0;
            for (int i = pos + 2; i < pos + header - 4; i++) {
                len = len << 8 | (buf[i] & 0xFF);
            }
            if (len < 0) {
                fail(1002, "frame length out of range");
                break;
            }
            if (draining && opcode != 0x8) {
                pos += header; // skipped unread, whatever its size
                skip = len;
                continue;
            }
            if (!control && len > maxMessageBytes - (opcode == 0 ? messageSize : 0)) {
                fail(1009, "message larger than " + maxMessageBytes + " bytes");
                pos += header;
                skip = len;
                continue;
            }
            if (end - pos < header + len) {
                break;
            }
            int payload = pos + header;
            for (int i = 0; i < len; i++) {
                buf[payload + i] ^= buf[payload - 4 + (i & 3)];
            }
            frame(fin, opcode, payload, (int) len);
            pos = payload + (int) len;
        }
        return pos;
    }

    private void frame(boolean fin, int opcode, int off, int len) {
        switch (opcode) {
            case 0x1 -> {
                if (fin) {
                    text(ByteBuffer.wrap(buf, off, len));
                } else {
                    messageOpcode = 1;
                    messageSize = len;
                    fragments = new ByteArrayOutputStream(Math.max(256, len * 2));
                    fragments.write(buf, off, len);
                }
            }
            case 0x2 -> {
                sink.binary();
                if (!fin) {
                    messageOpcode = 2;
                    messageSize = len;
                }
            }
            case 0x0 -> {
                messageSize += len;
                if (messageOpcode == 1) {
                    fragments.write(buf, off, len);
                }
                if (fin) {
                    ByteArrayOutputStream text = fragments;
                    messageOpcode = 0;
                    messageSize = 0;
                    fragments = null;
                    if (text != null) {
                        text(ByteBuffer.wrap(text.toByteArray()));
                    }
                }
            }
            case 0x8 -> close(off, len);
            case 0x9 -> sink.ping(Arrays.copyOfRange(buf, off, off + len));
            default -> sink.pong(); // 0xA; the opcodes left were refused above
        }
    }

    private void text(ByteBuffer bytes) {
        String message;
        try {
            message = utf8.reset().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            fail(1007, "text message is not UTF-8");
            return;
        }
        sink.text(message);
    }

    /** RFC 6455 §5.5.1 and §7.4: a close body is empty, or a status code a client may send and a UTF-8 reason. */
    private void close(int off, int len) {
        if (len == 0) {
            done = true;
            sink.closed(1005, "");
            return;
        }
        if (len == 1 || !sendable((buf[off] & 0xFF) << 8 | (buf[off + 1] & 0xFF))) {
            fail(1002, "invalid close status");
            return;
        }
        String reason;
        try {
            reason = utf8.reset().decode(ByteBuffer.wrap(buf, off + 2, len - 2)).toString();
        } catch (CharacterCodingException e) {
            fail(1007, "close reason is not UTF-8");
            return;
        }
        done = true;
        sink.closed((buf[off] & 0xFF) << 8 | (buf[off + 1] & 0xFF), reason);
    }

    /** Status codes an endpoint may put in a close frame (RFC 6455 §7.4.1, §7.4.2; 1012-1014 registered since). */
    static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void fail(int code, String reason) {
        if (code == 1002) {
            done = true;
        } else {
            draining = true;
            messageOpcode = 0;
            fragments = null;
        }
        sink.failed(code, reason);
    }
}
