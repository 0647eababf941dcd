package dev.parley.signaling;

import dev.parley.config.ParleyConfig;
import dev.parley.time.Timers;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket opening handshake of {@code /signal} when Parley frames WebSocket itself
 * ({@code parley.ws.transport=servlet}; registered by {@link WsTransportSetup}): checks what the container's
 * WebSocket stack would (RFC 6455 §4.2.1), answers 101 and hands the connection to a {@link WsConnection}. The filters
 * on {@code /signal} (Origin, connections per address) have run before, as they do for the container's handshake. No
 * subprotocol or extension is taken: Parley's frames are small JSON, and it offers none with the container either.
 */
public class WsHandshakeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Connections connections;
    @Inject
    transient ParleyConfig config;
    @Inject
    transient Timers timers;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String key = request.getHeader("Sec-WebSocket-Key");
        if (!"GET".equals(request.getMethod()) || !Rfc6455.hasToken(request, "Upgrade", "websocket")
                || !Rfc6455.hasToken(request, "Connection", "upgrade")) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "/signal takes a WebSocket handshake only");
            return;
        }
        String version = request.getHeader("Sec-WebSocket-Version");
        if (version == null || !version.trim().equals("13")) {
            response.setHeader("Sec-WebSocket-Version", "13"); // RFC 6455 §4.4: the version this server speaks
            refuse(response, 426, "WebSocket version 13 only");
            return;
        }
        if (key == null || !Rfc6455.validKey(key.trim())) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64");
            return;
        }
        // upgrade() first, headers after: Undertow sets the 101 in upgrade() and refuses a status once the response
        // started; Tyrus's own handshake on Payara runs in this order too.
        WsConnection connection = request.upgrade(WsConnection.class);
        connection.configure(connections, timers, config.wsPingInterval, config.wsMaxMessageBytes,
                HandshakeConfigurator.userAgent(request.getHeader("User-Agent")),
                orEmpty(request.getHeader(HandshakeConfigurator.ADDRESS_HEADER)));
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", Rfc6455.accept(key.trim()));
        // Payara runs the handler's init() before it finishes the response: the 101 must be on the wire before the
        // first frame is written to the same stream.
        response.flushBuffer();
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        byte[] body = ("{\"code\":\"bad-handshake\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
