package dev.parley.signaling;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The signaling WebSocket ({@code /signal}): open, message, close and error only; the work is in {@link Connections}. */
@ServerEndpoint(value = "/signal", configurator = HandshakeConfigurator.class)
public class SignalingEndpoint {

    private static final Logger LOG = Logger.getLogger(SignalingEndpoint.class.getName());

    @Inject
    Connections connections;
    /**
     * This socket, from its open on: the container makes an endpoint instance per socket (see
     * {@link Connections.Socket}). Volatile, as the container may call open and the frames on different threads.
     */
    private volatile Connections.Socket socket;

    @OnOpen
    public void open(Session session) {
        socket = connections.opened(session);
    }

    @OnMessage
    public void text(String text) {
        Connections.Socket s = socket;
        if (s != null) {
            s.text(text);
        }
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        Connections.Socket s = socket;
        if (s != null) {
            s.binary();
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        Connections.Socket s = socket;
        if (s != null) {
            s.pong();
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        connections.closed(session);
    }

    @OnError
    public void error(Session session, Throwable error) {
        LOG.log(Level.FINE, "WebSocket error", error);
    }
}
