package dev.parley.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.parley.config.ParleyConfig;
import dev.parley.db.Dialect;
import dev.parley.testing.MapConfig;
import dev.parley.testing.MigratedDatabase;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sender against real receivers. Two instances of a cluster share one outbox (H2 in memory, and the local
 * PostgreSQL in a schema of its own), and both run a sender: each event must reach the receiver once, not once per
 * instance. A receiver that stalls costs one timeout.
 */
class WebhookSenderTest {

    private static final int EVENTS = 5;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoInstancesOverOneOutboxDeliverEachEventOnce(String kind) throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.computeIfAbsent(exchange.getRequestHeaders().getFirst("X-Parley-Event-Id"), id -> new AtomicInteger())
                    .incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            sleep(200); // a receiver that takes its time: both instances read the outbox meanwhile
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        ExecutorService handlers = Executors.newFixedThreadPool(4);
        receiver.setExecutor(handlers);
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (MigratedDatabase database = MigratedDatabase.of(kind)) {
            for (int i = 0; i < EVENTS; i++) {
                pending(database.dataSource(), "event-" + i, i + 1, url);
            }
            List<WebhookSender> instances = List.of(sender(database, url), sender(database, url));
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = instances.stream().map(sender -> new Thread(() -> {
                try {
                    start.await();
                    sender.deliverDue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })).toList();
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread thread : threads) {
                thread.join(30_000);
            }

            assertEquals(EVENTS, received.size(), "every event delivered: " + received);
            received.forEach((id, times) -> assertEquals(1, times.get(), id + " delivered " + times + " times"));
            assertEquals(EVENTS, delivered(database.dataSource()), "each recorded as delivered");
        } finally {
            receiver.stop(0);
            handlers.shutdownNow();
        }
    }

    /**
     * A receiver that answers 200 and then never finishes its body: the attempt fails after the sender's timeout and
     * is retried later, instead of holding the one sender thread (and every other receiver's deliveries) for good.
     */
    @Test
    void aReceiverThatNeverFinishesItsBodyCostsOneTimeoutNotTheSender() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked: the body goes on until the exchange closes
            exchange.getResponseBody().write("{\"ok\":".getBytes());
            exchange.getResponseBody().flush();
            awaitQuietly(release);
            exchange.close();
        });
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        receiver.setExecutor(handlers);
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (MigratedDatabase database = MigratedDatabase.of("h2")) {
            pending(database.dataSource(), "event-stalled", 1, url);
            Thread pass = new Thread(sender(database, url)::deliverDue);
            pass.start();
            pass.join(20_000);

            assertFalse(pass.isAlive(), "the pass ended after the timeout");
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT status, attempts, last_error FROM parley_webhook_delivery")) {
                r.next();
                assertEquals("pending", r.getString(1), "retried later");
                assertEquals(1, r.getInt(2));
                assertTrue(r.getString(3).contains("no whole response"), r.getString(3));
            }
        } finally {
            release.countDown();
            receiver.stop(0);
            handlers.shutdownNow();
        }
    }

    /**
     * Two receivers, one of which hangs: in a pass it gets one attempt (one timeout), and the other receiver's
     * deliveries, queued between its own, all go out in the same pass.
     */
    @Test
    void aHangingReceiverGetsOneAttemptAPassAndHoldsNoOtherReceiverBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stalledRequests = new AtomicInteger();
        AtomicInteger fastRequests = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/stalled", exchange -> {
            stalledRequests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            awaitQuietly(release); // never answers within the sender's timeout
            exchange.close();
        });
        receiver.createContext("/fast", exchange -> {
            fastRequests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        ExecutorService handlers = Executors.newFixedThreadPool(8);
        receiver.setExecutor(handlers);
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        try (MigratedDatabase database = MigratedDatabase.of("h2")) {
            for (int i = 0; i < 6; i++) { // oldest first: stalled, fast, stalled, fast, ...
                pending(database.dataSource(), "event-" + i, i + 1, base + (i % 2 == 0 ? "/stalled" : "/fast"));
            }
            WebhookSender sender = sender(database, base + "/stalled," + base + "/fast");
            Thread pass = new Thread(sender::deliverDue);
            pass.start();
            pass.join(40_000);

            assertFalse(pass.isAlive(), "the pass ended");
            assertEquals(1, stalledRequests.get(), "one attempt at the hanging receiver in the pass");
            assertEquals(3, fastRequests.get(), "every delivery to the other receiver went out");
            assertEquals(3, delivered(database.dataSource()));
        } finally {
            release.countDown();
            receiver.stop(0);
            handlers.shutdownNow();
        }
    }

    private static WebhookSender sender(MigratedDatabase database, String url) {
        WebhookSender sender = new WebhookSender();
        sender.config = new ParleyConfig(MapConfig.of("parley.webhook.urls", url, "parley.admin.token", "test"));
        sender.dialect = new Dialect() {
            @Override
            public DataSource dataSource() {
                return database.dataSource();
            }
        };
        sender.clock = Clock.systemUTC();
        return sender;
    }

    private static void pending(DataSource db, String id, int seq, String url) throws Exception {
        var at = WebhookSender.utc(Instant.now().minusSeconds(1));
        try (Connection c = db.getConnection();
             PreparedStatement event = c.prepareStatement("INSERT INTO parley_webhook_event "
                     + "(id, room_name, seq, type, body, created_at) VALUES (?, 'room', ?, 'room.created', ?, ?)");
             PreparedStatement delivery = c.prepareStatement("INSERT INTO parley_webhook_delivery "
                     + "(event_id, url, status, attempts, created_at, next_attempt_at) VALUES (?, ?, 'pending', 0, ?, ?)")) {
            event.setString(1, id);
            event.setInt(2, seq);
            event.setString(3, "{\"id\":\"" + id + "\"}");
            event.setTimestamp(4, at);
            event.executeUpdate();
            delivery.setString(1, id);
            delivery.setString(2, url);
            delivery.setTimestamp(3, at);
            delivery.setTimestamp(4, at);
            delivery.executeUpdate();
        }
    }

    private static int delivered(DataSource db) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM parley_webhook_delivery WHERE status = 'delivered'")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
