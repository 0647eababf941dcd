package dev.parley.signaling;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * A WebSocket session that records what the server sends (text frames parsed as JSON) and how it closes it.
 * Sends complete at once, as on a fast network. Only what {@link Connection} uses is implemented.
 */
final class FakeSession implements Session {

    final List<JsonObject> frames = new ArrayList<>();
    final List<Integer> closeCodes = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile int pings;
    /** What {@link Connections#opened} gave for this session: its frames go in through it, as the endpoint's do. */
    Connections.Socket socket;
    /** When set, sendPing waits for it, as Undertow's does while the client's socket buffer is full. */
    volatile java.util.concurrent.CountDownLatch pingGate;
    private final Map<String, Object> userProperties = new HashMap<>();
    private boolean open = true;

    /** When set, text sends never complete, as for a client that stopped reading with its buffers full. */
    volatile boolean holdSends;

    private final RemoteEndpoint.Async remote = new RemoteEndpoint.Async() {
        @Override
        public void sendText(String text, SendHandler handler) {
            if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
                throw new Error("java.nio.charset.MalformedInputException: Input length = 1"); // as Tyrus does
            }
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                frames.add(reader.readObject());
            }
            if (!holdSends) {
                handler.onResult(new SendResult());
            }
        }

        @Override
        public void sendPing(ByteBuffer applicationData) {
            java.util.concurrent.CountDownLatch gate = pingGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            pings++;
        }

        @Override
        public long getSendTimeout() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setSendTimeout(long timeoutmillis) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> sendText(String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> sendBinary(ByteBuffer data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendBinary(ByteBuffer data, SendHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> sendObject(Object data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendObject(Object data, SendHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setBatchingAllowed(boolean allowed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getBatchingAllowed() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushBatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendPong(ByteBuffer applicationData) {
            throw new UnsupportedOperationException();
        }
    };

    List<JsonObject> ofType(String type) {
        return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    JsonObject only(String type) {
        List<JsonObject> matching = ofType(type);
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one '" + type + "' frame but got " + matching.size()
                    + " among " + frames);
        }
        return matching.get(0);
    }

    JsonObject last() {
        if (frames.isEmpty()) {
            throw new AssertionError("no frame was sent");
        }
        return frames.get(frames.size() - 1);
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return remote;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close(CloseReason closeReason) {
        closeCodes.add(closeReason.getCloseCode().getCode());
        open = false;
    }

    @Override
    public void close() {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }

    @Override
    public String getId() {
        return "fake";
    }

    @Override
    public WebSocketContainer getContainer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getProtocolVersion() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getNegotiatedSubprotocol() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isSecure() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long getMaxIdleTimeout() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        throw new UnsupportedOperationException();
    }

    @Override
    public URI getRequestURI() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getQueryString() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> getPathParameters() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Principal getUserPrincipal() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<Session> getOpenSessions() {
        throw new UnsupportedOperationException();
    }
}
