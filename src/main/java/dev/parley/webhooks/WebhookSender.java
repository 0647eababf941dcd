package dev.parley.webhooks;

import dev.parley.config.ParleyConfig;
import dev.parley.db.Dialect;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers the outbox: POSTs each due event to its receiver, signed, and records the outcome. Anything but a 2xx
 * within 5 s is retried with exponential backoff (1 s doubling to 5 min), across restarts since the state is in
 * the database, until {@code parley.webhook.max-age}; then the delivery becomes a dead letter.
 * Delivery is at least once: receivers deduplicate by {@code X-Parley-Event-Id}.
 * <p>Every instance of a cluster runs a sender over the one shared outbox, so a delivery is claimed before it is
 * sent: one instance sends it, and an outcome is recorded only while the delivery is still pending.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final int BATCH = 50;
    /** How long a claimed delivery is left to the instance that claimed it; if that instance dies, another sends it then. */
    private static final Duration LEASE = Duration.ofMinutes(1);

    @Inject
    ParleyConfig config;
    @Inject
    Dialect dialect;
    @Inject
    Clock clock;
    @Resource
    ManagedScheduledExecutorService scheduler;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private ScheduledFuture<?> loop;

    /** A delivery as read when due; {@code nextAttemptAt} as stored, to claim it only if nobody has touched it since. */
    private record Due(String eventId, String url, int attempts, Instant createdAt, String body, Timestamp nextAttemptAt) {
    }

    public void start() {
        if (!config.webhookUrls.isEmpty()) {
            loop = scheduler.scheduleWithFixedDelay(this::deliverDue, 500, 500, TimeUnit.MILLISECONDS);
        }
    }

    public void stop() {
        if (loop != null) {
            loop.cancel(false);
        }
    }

    /**
     * One pass over what is due, a batch at a time. A receiver that fails once is left out of the rest of the pass
     * (its other deliveries stay due for the next), so a receiver that hangs costs a pass one timeout, not one per
     * delivery, and cannot hold back the other receivers' deliveries behind its own. The pass ends when a batch was
     * not full, or made no progress (its deliveries all claimed by another instance).
     */
    void deliverDue() {
        try {
            Set<String> failing = new HashSet<>();
            List<Due> due;
            boolean progressed;
            do {
                due = due(failing);
                progressed = false;
                for (Due d : due) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    if (!failing.contains(d.url()) && claim(d)) {
                        progressed = true;
                        if (!deliver(d)) {
                            failing.add(d.url());
                        }
                    }
                }
            } while (due.size() == BATCH && progressed);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Webhook delivery pass failed; retrying shortly: " + e);
        }
    }

    /** The oldest deliveries due, but those to {@code skipped} receivers (failing in this pass). */
    private List<Due> due(Set<String> skipped) throws SQLException {
        List<Due> due = new ArrayList<>();
        String notTo = skipped.isEmpty() ? ""
                : " AND d.url NOT IN (" + String.join(", ", Collections.nCopies(skipped.size(), "?")) + ")";
        try (Connection c = dialect.dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT d.event_id, d.url, d.attempts, d.created_at, e.body, "
                     + "d.next_attempt_at "
                     + "FROM parley_webhook_delivery d JOIN parley_webhook_event e ON e.id = d.event_id "
                     + "WHERE d.status = 'pending' AND d.next_attempt_at <= ?" + notTo + " "
                     + "ORDER BY e.created_at, e.seq LIMIT " + BATCH)) {
            q.setTimestamp(1, utc(clock.instant()));
            int i = 2;
            for (String url : skipped) {
                q.setString(i++, url);
            }
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    due.add(new Due(r.getString(1), r.getString(2), r.getInt(3),
                            r.getTimestamp(4).toLocalDateTime().toInstant(ZoneOffset.UTC), r.getString(5),
                            r.getTimestamp(6)));
                }
            }
        }
        return due;
    }

    /**
     * Takes the delivery for this instance, unless it changed since it was read as due: another instance claimed or
     * tried it (its attempts and next attempt moved on), or an admin replayed it. Sending from a stale read would
     * reset its backoff and attempt count.
     */
    private boolean claim(Due d) throws SQLException {
        try (Connection c = dialect.dataSource().getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE parley_webhook_delivery SET next_attempt_at = ? "
                     + "WHERE event_id = ? AND url = ? AND status = 'pending' AND attempts = ? AND next_attempt_at = ?")) {
            u.setTimestamp(1, utc(clock.instant().plus(LEASE)));
            u.setString(2, d.eventId());
            u.setString(3, d.url());
            u.setInt(4, d.attempts());
            u.setTimestamp(5, d.nextAttemptAt());
            return u.executeUpdate() == 1;
        }
    }

    /** Sends one delivery and records the outcome; false if the receiver did not take it. */
    private boolean deliver(Due d) throws SQLException {
        String error;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(d.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("X-Parley-Event-Id", d.eventId())
                    .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8));
            config.webhookSecret.ifPresent(secret -> request.header("X-Parley-Signature",
                    "sha256=" + signature(secret, d.body())));
            HttpResponse<Void> response = exchange(request.build());
            if (response.statusCode() / 100 == 2) {
                update("UPDATE parley_webhook_delivery SET status = 'delivered', attempts = attempts + 1, "
                        + "delivered_at = ?, last_error = NULL WHERE event_id = ? AND url = ? AND status = 'pending'",
                        clock.instant(), d);
                return true;
            }
            error = "HTTP " + response.statusCode();
        } catch (java.io.IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        retryLater(d, error);
        return false;
    }

    /**
     * Sends and waits at most {@link #TIMEOUT} for the whole response, body included. The request's own timeout ends
     * with the response's headers: a receiver that answers 200 and never finishes its body would otherwise hold this
     * one sender thread, and with it every delivery to every receiver, for good.
     */
    private HttpResponse<Void> exchange(HttpRequest request) throws java.io.IOException, InterruptedException {
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return exchange.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no whole response within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true); // stopping: the exchange must not outlive the sender
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            throw new java.io.IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private void retryLater(Due d, String error) throws SQLException {
        Instant now = clock.instant();
        int attempts = d.attempts() + 1;
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempts - 1, 20));
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        boolean dead = !now.plus(backoff).isBefore(d.createdAt().plus(config.webhookMaxAge));
        String message = error.length() > 500 ? error.substring(0, 500) : error;
        try (Connection c = dialect.dataSource().getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE parley_webhook_delivery SET status = ?, attempts = ?, "
                     + "next_attempt_at = ?, last_error = ? WHERE event_id = ? AND url = ? AND status = 'pending'")) {
            u.setString(1, dead ? "dead" : "pending");
            u.setInt(2, attempts);
            u.setTimestamp(3, utc(now.plus(backoff)));
            u.setString(4, message);
            u.setString(5, d.eventId());
            u.setString(6, d.url());
            u.executeUpdate();
        }
        if (dead) {
            LOG.warning("Webhook event " + d.eventId() + " to " + d.url() + " is a dead letter after "
                    + attempts + " attempts: " + message);
        }
    }

    private void update(String sql, Instant at, Due d) throws SQLException {
        try (Connection c = dialect.dataSource().getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
            u.setTimestamp(1, utc(at));
            u.setString(2, d.eventId());
            u.setString(3, d.url());
            u.executeUpdate();
        }
    }

    /** Hex HMAC-SHA256 of the exact body bytes sent, with the shared secret. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
