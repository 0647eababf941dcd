package dev.parley.signaling;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Enumeration;

/**
 * The parts of RFC 6455 a server over the Servlet upgrade needs besides reading frames ({@link WsFrameDecoder}): the
 * opening handshake's checks and answer, and the server's frames. Depends on nothing of Parley's, so the benchmark's
 * bare relay over the upgrade uses it too.
 */
public final class Rfc6455 {

    /** §1.3: appended to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** §5.5: a control frame's payload, so a close frame's reason, is at most 125 bytes with its code. */
    private static final int MAX_CLOSE_REASON = 123;

    private Rfc6455() {
    }

    /** §4.2.2: base64(SHA-1(key + GUID)), the value of Sec-WebSocket-Accept. */
    public static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** §4.1: the key is 16 random bytes, base64-encoded. */
    public static boolean validKey(String key) {
        try {
            return key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether any value of the header, a comma-separated list, holds the token (case-insensitive). */
    public static boolean hasToken(HttpServletRequest request, String header, String token) {
        Enumeration<String> values = request.getHeaders(header);
        while (values != null && values.hasMoreElements()) {
            for (String t : values.nextElement().split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** §5.2: a server frame (never masked, never fragmented): FIN and opcode, the 7-, 16- or 64-bit length, payload. */
    public static byte[] frame(int finAndOpcode, byte[] payload, int off, int len) {
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        byte[] frame = new byte[header + len];
        frame[0] = (byte) finAndOpcode;
        if (len < 126) {
            frame[1] = (byte) len;
        } else if (len < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (len >>> 8);
            frame[3] = (byte) len;
        } else {
            frame[1] = 127; // bytes 2..5 stay 0: len < 2^31
            frame[6] = (byte) (len >>> 24);
            frame[7] = (byte) (len >>> 16);
            frame[8] = (byte) (len >>> 8);
            frame[9] = (byte) len;
        }
        System.arraycopy(payload, off, frame, header, len);
        return frame;
    }

    /** §5.5.1: a close frame's body, the status code then the reason cut to what fits, on a character boundary. */
    public static byte[] closeBody(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CLOSE_REASON);
        while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
            length--; // do not split a character
        }
        byte[] body = new byte[2 + length];
        body[0] = (byte) (code >>> 8);
        body[1] = (byte) code;
        System.arraycopy(text, 0, body, 2, length);
        return body;
    }
}
