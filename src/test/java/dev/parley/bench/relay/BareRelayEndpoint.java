package dev.parley.bench.relay;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container's floor for {@code SignalingBenchmark}: the least a signaling server on the same Payara Micro can
 * do. {@code /relay?room=R} pairs the first two sockets of room R and forwards every text frame, unread, to the
 * partner. No JSON, no rules, no history, no rate limit, no heartbeat. It says {@code {"type":"joined"}} to each
 * socket when it opens and {@code {"type":"peer-joined"}} to the first when the second arrives, so the load
 * generator can time the pairing as it does with Parley.
 *
 * <p>It is packed into its own WAR by the benchmark at run time (no WAR of its own in the build); it is never
 * part of {@code parley.war}.
 */
@ServerEndpoint("/relay")
public class BareRelayEndpoint {

    private static final String PEER = "bench.peer";
    private static final ConcurrentHashMap<String, Session> WAITING = new ConcurrentHashMap<>();

    @OnOpen
    public void open(Session session) throws IOException {
        // Same frame limit as Parley's default parley.ws.max-message-bytes, so both run with one buffer size.
        session.setMaxTextMessageBufferSize(65536);
        if (IDLE_TIMEOUT_MS > 0) {
            session.setMaxIdleTimeout(IDLE_TIMEOUT_MS);
        }
        List<String> rooms = session.getRequestParameterMap().get("room");
        String room = rooms == null || rooms.isEmpty() ? "" : rooms.get(0);
        Session[] first = new Session[1];
        WAITING.compute(room, (r, waiting) -> {
            if (waiting == null || !waiting.isOpen()) {
                return session;
            }
            first[0] = waiting;
            return null;
        });
        if (first[0] != null) {
            first[0].getUserProperties().put(PEER, session);
            session.getUserProperties().put(PEER, first[0]);
        }
        // Only now, so that a partner arriving on the heels of this 'joined' finds this socket waiting.
        send(session, "{\"type\":\"joined\"}");
        if (first[0] != null) {
            send(first[0], "{\"type\":\"peer-joined\"}");
        }
    }

    @OnMessage
    public void text(String text, Session session) throws IOException {
        Session peer = (Session) session.getUserProperties().get(PEER);
        if (peer != null) {
            send(peer, text);
        }
    }

    @OnClose
    public void close(Session session) {
        WAITING.values().remove(session);
        session.getUserProperties().remove(PEER);
    }

    /**
     * With {@code -Dbench.relay.jdkLoader=true} on the server, sends run with the JDK's platform class loader as the
     * thread's context class loader (an experiment, see the README: Tyrus schedules an idle-timeout task per frame and
     * Payara's context capture for it runs a ServiceLoader lookup through that loader).
     */
    /**
     * With {@code -Dbench.relay.idleTimeoutMs=N} on the server, each session gets that idle timeout (an experiment,
     * see the README: with none, Payara's Tyrus schedules its idle-timeout task with no delay for every frame).
     */
    private static final long IDLE_TIMEOUT_MS = Long.getLong("bench.relay.idleTimeoutMs", 0);

    private static final boolean JDK_LOADER = Boolean.getBoolean("bench.relay.jdkLoader");

    /**
     * With {@code -Dbench.relay.async=true} on the server, frames go out through the async API as Parley's do: at most
     * one send in flight per session, the next taken from a queue when the container reports the last one done.
     */
    private static final boolean ASYNC = Boolean.getBoolean("bench.relay.async");
    private static final String OUT = "bench.out";

    private static final class AsyncOut implements SendHandler {
        private final RemoteEndpoint.Async remote;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean busy;

        AsyncOut(RemoteEndpoint.Async remote) {
            this.remote = remote;
        }

        void send(String text) {
            synchronized (this) {
                if (busy) {
                    queue.addLast(text);
                    return;
                }
                busy = true;
            }
            remote.sendText(text, this);
        }

        @Override
        public void onResult(SendResult result) {
            String next;
            synchronized (this) {
                next = result.isOK() ? queue.pollFirst() : null;
                if (next == null) {
                    busy = false;
                    return;
                }
            }
            remote.sendText(next, this);
        }
    }

    /** Sends to one session are serialized (the container forbids concurrent ones); the lock is uncontended. */
    private static void send(Session to, String text) throws IOException {
        if (ASYNC) {
            ((AsyncOut) to.getUserProperties().computeIfAbsent(OUT, k -> new AsyncOut(to.getAsyncRemote()))).send(text);
            return;
        }
        synchronized (to) {
            if (to.isOpen()) {
                if (!JDK_LOADER) {
                    to.getBasicRemote().sendText(text);
                    return;
                }
                Thread thread = Thread.currentThread();
                ClassLoader loader = thread.getContextClassLoader();
                thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
                try {
                    to.getBasicRemote().sendText(text);
                } finally {
                    thread.setContextClassLoader(loader);
                }
            }
        }
    }
}
