package dev.parley.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A signaling client that sends whatever it is given and judges every answer: each must be a JSON object with a
 * string {@code type}, and no error may read like a stack trace. What it saw wrong is kept in {@link #anomalies};
 * a close with 1011 (server error) counts as one too. A close without a close frame (1006) does not: when the
 * server closes legitimately (1008, 1009) while a large frame is still being written, the client's write meets a
 * reset and it never reads the close frame; a server that really died fails the health check after the run.
 */
public final class FuzzClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    public final List<String> anomalies = new ArrayList<>();

    private FuzzClient(WebSocket.Builder builder, URL base) {
        this.socket = builder.buildAsync(WsClient.signalUri(base), new Listener()).join();
    }

    public static FuzzClient connect(URL base) {
        return new FuzzClient(HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)), base);
    }

    /** Sends one frame; false once the connection is closed (the frame may not have reached the server). */
    public boolean send(String frame) {
        if (closed.isDone()) {
            return false;
        }
        try {
            socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Sends a ping and judges everything that arrives until its pong: true when the pong came, false when the
     * connection closed first.
     */
    public boolean sync(Duration wait) {
        if (!send("{\"type\":\"ping\"}")) {
            return false;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String text;
            try {
                text = texts.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (text == null) {
                if (closed.isDone()) {
                    return false;
                }
                continue;
            }
            JsonObject frame = judge(text);
            if (frame != null && "pong".equals(frame.getString("type", null))) {
                return true;
            }
        }
        anomalies.add("no pong within " + wait);
        return false;
    }

    /** The close code once closed (after judging it), or -1 while open. */
    public int closeCode() {
        if (!closed.isDone()) {
            return -1;
        }
        texts.forEach(this::judge);
        texts.clear();
        int code = closed.join();
        if (code == 1011) {
            anomalies.add("closed with " + code);
        }
        return code;
    }

    private JsonObject judge(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonObject frame = reader.readObject();
            if (!(frame.get("type") instanceof jakarta.json.JsonString)) {
                anomalies.add("frame without a string type: " + abbreviated(text));
            } else if (text.contains("Exception") || text.contains("\tat ")) {
                anomalies.add("looks like a stack trace: " + abbreviated(text));
            }
            return frame;
        } catch (RuntimeException e) {
            anomalies.add("not a JSON object: " + abbreviated(text));
            return null;
        }
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
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
                texts.add(partial.toString());
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
