package dev.parley.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A black-box signaling client over the JDK's WebSocket: sends frames, and waits for the ones it expects. */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    public String id;
    public String resumeToken;
    public String room;
    /** The last {@code joined} this client received. */
    public JsonObject joined;

    private WsClient(URI uri, String origin) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    /** Connects as a browser page of {@code origin} would; throws when the handshake is refused. */
    public static WsClient connect(URL base, String origin) {
        return new WsClient(signalUri(base), origin);
    }

    public static WsClient connect(URL base) {
        return new WsClient(signalUri(base), null);
    }

    public static URI signalUri(URL base) {
        String http = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(http.replaceFirst("^http", "ws") + "signal");
    }

    /** Connects and joins; returns the client with its id and token taken from {@code joined}. */
    public static WsClient joined(URL base, String room, String name) {
        WsClient client = connect(base);
        client.send(Json.createObjectBuilder().add("type", "join").add("room", room).add("name", name).build());
        client.expectJoined();
        return client;
    }

    /** This client offers to {@code callee}, which answers: the call is active. Returns its id. */
    public String callAndAnswer(WsClient callee) {
        send("offer", "sdp", "v=0\r\n");
        String callId = callee.expect("offer").getString("callId");
        callee.send("answer", "sdp", "v=0\r\n");
        expect("answer");
        return callId;
    }

    public JsonObject expectJoined() {
        joined = expect("joined");
        id = joined.getJsonObject("self").getString("id");
        resumeToken = joined.getString("resumeToken");
        room = joined.getString("room");
        return joined;
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    public void send(JsonObject frame) {
        sendRaw(frame.toString());
    }

    /** Sends {@code {"type": type, ...pairs}} (string values). */
    public void send(String type, String... pairs) {
        var frame = Json.createObjectBuilder().add("type", type);
        for (int i = 0; i < pairs.length; i += 2) {
            frame.add(pairs[i], pairs[i + 1]);
        }
        send(frame.build());
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** The next frame, which must be of {@code type}. */
    public JsonObject expect(String type) {
        JsonObject frame = next(WAIT);
        assertNotNull(frame, "expected a '" + type + "' frame, got nothing within " + WAIT);
        assertEquals(type, frame.getString("type"), "unexpected frame " + frame);
        return frame;
    }

    /** The first frame of {@code type} within {@link #WAIT}, passing over any others (a browser's candidates…). */
    public JsonObject skipTo(String type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (JsonObject frame = next(WAIT); frame != null; frame = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            if (type.equals(frame.getString("type"))) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame within " + WAIT);
    }

    /** The next frame, which must be an error with {@code code} and {@code ref}. */
    public JsonObject expectError(String code, String ref) {
        JsonObject error = expect("error");
        assertEquals(code, error.getString("code"), error.toString());
        if (ref != null) {
            assertEquals(ref, error.getString("ref"), error.toString());
        }
        return error;
    }

    public JsonObject next(Duration wait) {
        try {
            return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Nothing arrives for {@code quiet}. */
    public void expectSilence(Duration quiet) {
        JsonObject frame = next(quiet);
        assertNull(frame, "expected no frame, got " + frame);
    }

    /** Proves the connection is still open and usable after an error. */
    public void expectAlive() {
        send("ping");
        expect("pong");
    }

    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            fail("the server did not close the connection: " + e);
            return -1;
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close handshake, like a browser tab that crashed. */
    public void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(1006);
        }
    }
}
