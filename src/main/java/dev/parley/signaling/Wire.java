package dev.parley.signaling;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * What Parley needs of a WebSocket to send on it: the seam between a {@link Connection} and the transport that carries
 * its frames. {@link SessionWire} is the container's WebSocket stack ({@code jakarta.websocket}, the default);
 * {@link WsConnection} frames WebSocket itself over the Servlet upgrade ({@code parley.ws.transport=servlet}).
 * {@link SessionOutbox} keeps at most one text frame in flight per wire, so a wire never holds a queue of its own.
 */
interface Wire {

    /**
     * Sends a text frame; {@code done} is told, once, whether it went out (true) or the socket broke (false). It may
     * be told on the calling thread, before this returns.
     *
     * @throws IOException or any other exception or error, when the frame is refused outright (the socket is then
     *                     closed by the caller)
     */
    void sendText(String text, Consumer<Boolean> done) throws IOException;

    /** Sends an empty ping; its pong comes back to {@code Connections} as a sign of life. */
    void sendPing() throws IOException;

    boolean isOpen();

    /** Starts the closing handshake with this status code (RFC 6455 §7.4) and reason (at most 123 bytes of UTF-8). */
    void close(int code, String reason) throws IOException;
}
