package dev.parley.bench.relay;

import dev.parley.signaling.Rfc6455;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The bare relay of {@link BareRelayEndpoint} without the container's WebSocket stack: {@code /relay-upgrade?room=R}
 * does the RFC 6455 opening handshake itself, takes the socket over with the Servlet 6 HTTP upgrade
 * ({@link HttpServletRequest#upgrade}) and frames on it with non-blocking I/O ({@link UpgradeRelayConnection}). Same
 * pairing and messages as the Tyrus relay, so {@code SignalingBenchmark} drives both alike. The experiment: Payara's
 * Tyrus schedules an idle-timeout task on a managed executor for every frame (a context capture with a ServiceLoader
 * lookup each time); does a relay that never touches Tyrus avoid that floor?
 *
 * <p>Packed into its own WAR by the benchmark at run time; never part of {@code parley.war}.
 */
@WebServlet("/relay-upgrade")
public class UpgradeRelayServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;


    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String key = request.getHeader("Sec-WebSocket-Key");
        String version = request.getHeader("Sec-WebSocket-Version");
        if (!"GET".equals(request.getMethod()) || !Rfc6455.hasToken(request, "Upgrade", "websocket")
                || !Rfc6455.hasToken(request, "Connection", "upgrade") || version == null || !version.trim().equals("13")
                || key == null || key.isBlank()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        String room = request.getParameter("room");
        // upgrade() first, headers after: Undertow sets 101 in upgrade() and refuses a status once the response
        // started; this is also the order Tyrus's own servlet filter uses on Payara.
        UpgradeRelayConnection connection = request.upgrade(UpgradeRelayConnection.class);
        connection.room = room == null ? "" : room;
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Connection", "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", Rfc6455.accept(key.trim()));
        // Payara calls the handler's init() before it finishes the response: the 101 must be on the wire before
        // init() writes the first frame ({"type":"joined"}) to the same stream. Tyrus flushes here too.
        response.flushBuffer();
    }
}
