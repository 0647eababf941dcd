package dev.parley.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client written on a bare TCP socket, for what well-behaved clients cannot do: send bytes that are
 * not UTF-8, never answer pings, or stop reading altogether (with a tiny receive buffer, so the server's sends
 * back up quickly).
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A frame from the server; for a close, {@code code} is its status code. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int code() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawWebSocket connect(URL base) throws IOException {
        return connect(base, 0);
    }

    /** Opens the handshake; with {@code receiveBuffer} > 0 the socket's receive buffer is shrunk to about that. */
    public static RawWebSocket connect(URL base, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(socket);
        ws.handshake(base);
        return ws;
    }

    private void handshake(URL base) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String path = base.getPath().endsWith("/") ? base.getPath() + "signal" : base.getPath() + "/signal";
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + status);
        }
        while (!readLine().isEmpty()) {
            // skip the response headers
        }
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame of any opcode with any payload, masked as a client must. */
    public void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame, or null when nothing arrives within {@code wait}; pings are not answered. */
    public Frame read(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(first & 0x0f, payload);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Reads (and drops) frames until the server's close frame; its code, or 1006 if the connection just ends. */
    public int awaitClose(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Frame frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (frame != null && frame.opcode() == CLOSE) {
                    return frame.code();
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return 1006;
        }
        throw new AssertionError("the server did not close the connection within " + wait);
    }

    /** Closes the TCP connection without a close handshake. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private String readLine() throws IOException {
        InputStream raw = in;
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = raw.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.length() == 0) {
            throw new EOFException("connection closed during the handshake");
        }
        return line.toString();
    }
}
