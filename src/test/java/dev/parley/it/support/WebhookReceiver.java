package dev.parley.it.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback, as a customer would write one: it deduplicates by event id, and can be told
 * to fail its next N requests, to fail everything, or to be down altogether.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Delivery(String eventId, String signature, String body) {
    }

    private final int port;
    private HttpServer server;
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean failAll;
    public final List<Delivery> received = new CopyOnWriteArrayList<>();
    public final Map<String, Delivery> unique = new ConcurrentHashMap<>();
    public final AtomicInteger refused = new AtomicInteger();

    public WebhookReceiver(int port) throws IOException {
        this.port = port;
        start();
    }

    public static WebhookReceiver onFreePort() throws IOException {
        return new WebhookReceiver(0);
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    public int port() {
        return server != null ? server.getAddress().getPort() : port;
    }

    public void failNext(int count) {
        failNext.set(count);
    }

    public void failAll(boolean fail) {
        failAll = fail;
    }

    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean fail = failAll || failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            if (fail) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
            } else {
                Delivery d = new Delivery(exchange.getRequestHeaders().getFirst("X-Parley-Event-Id"),
                        exchange.getRequestHeaders().getFirst("X-Parley-Signature"),
                        new String(body, StandardCharsets.UTF_8));
                received.add(d);
                unique.putIfAbsent(d.eventId(), d);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** Down: connections are refused until {@link #start()}. */
    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
