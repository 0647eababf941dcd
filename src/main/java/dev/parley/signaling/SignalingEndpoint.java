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

    @OnOpen
    public void open(Session session) {
        connections.opened(session);
    }

    @OnMessage
    public void text(String text, Session session) {
        connections.text(session, text);
    }

    @OnMessage
    public void binary(ByteBuffer data, Session session) {
        connections.binary(session);
    }

    @OnMessage
    public void pong(PongMessage pong, Session session) {
        connections.pong(session);
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
