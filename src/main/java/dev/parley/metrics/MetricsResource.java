package dev.parley.metrics;

import dev.parley.calls.LiveCall;
import dev.parley.config.ParleyConfig;
import dev.parley.db.Dialect;
import dev.parley.history.HistoryEvent;
import dev.parley.history.HistoryWriter;
import dev.parley.rooms.LiveRoom;
import dev.parley.rooms.Presence;
import dev.parley.security.AdminFilter;
import dev.parley.security.AdminGate;
import dev.parley.signaling.Connections;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/metrics}: Parley's own figures in the Prometheus text format (0.0.4), served by the WAR so
 * they are the same on Payara and WildFly. Gauges are read when scraped; counters come from {@link Metrics}.
 * Needs the admin bearer token unless {@code parley.metrics.public=true} (scrapers inside a trusted network).
 */
@Tag(name = "operations", description = "Metrics for Prometheus")
@Path("metrics")
@RequestScoped
public class MetricsResource {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    Metrics metrics;
    @Inject
    ParleyConfig config;
    @Inject
    Connections connections;
    @Inject
    Presence presence;
    @Inject
    HistoryWriter history;
    @Inject
    Dialect dialect;
    @Inject
    Clock clock;
    @Inject
    AdminGate gate;
    @Context
    HttpServletRequest http;

    @GET
    @Operation(summary = "Prometheus metrics", description = "Open connections, rooms, participants, calls by "
            + "state and end reason, relayed messages by type, relay latency, errors by code, rate-limit refusals, "
            + "history backlog and lag, webhook backlog. Admin token required unless parley.metrics.public=true.")
    @APIResponse(responseCode = "200", description = "Prometheus text format 0.0.4")
    @APIResponse(responseCode = "401", description = "admin bearer token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public Response scrape(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!config.metricsPublic) {
            // Through the same gate as the admin API: this is a place to guess the admin token too.
            Response refusal = AdminFilter.refusal(gate.check(http.getRemoteAddr(), authorization));
            if (refusal != null) {
                return refusal;
            }
        }
        return Response.ok(render(), CONTENT_TYPE).build();
    }

    String render() {
        PrometheusText out = new PrometheusText();
        out.gauge("parley_connections_open", "Open signaling WebSocket connections", connections.openCount());
        liveFigures(out);
        out.counters("parley_calls_ended_total", "Calls ended since start, by end reason", "reason",
                metrics.callsEnded());
        out.counters("parley_messages_relayed_total", "Client frames relayed to a peer, by type", "type",
                metrics.relayed());
        out.histogram("parley_relay_latency_seconds", "Time from frame receipt to the relayed frame being queued",
                LatencyHistogram.BOUNDS, metrics.relayLatency().cumulative(), metrics.relayLatency().sumSeconds());
        out.counters("parley_errors_total", "Error frames sent to clients, by code", "code", metrics.errors());
        out.counter("parley_rate_limited_total", "Frames refused by the per-connection rate limit",
                metrics.rateLimitedCount());
        out.gauge("parley_history_backlog", "History events waiting to be written", history.backlog());
        out.gauge("parley_history_lag_seconds", "Age of the oldest history event not yet written", historyLag());
        long webhooks = webhookBacklog();
        if (webhooks >= 0) {
            out.gauge("parley_webhook_backlog", "Webhook deliveries pending", webhooks);
        }
        return out.toString();
    }

    private void liveFigures(PrometheusText out) {
        int rooms = 0;
        int participants = 0;
        int ringing = 0;
        int active = 0;
        for (LiveRoom room : presence.rooms()) {
            rooms++;
            synchronized (room) {
                participants += room.members().size();
                for (LiveCall call : room.calls.values()) {
                    if (call.state() == LiveCall.State.RINGING) {
                        ringing++;
                    } else if (call.state() == LiveCall.State.ACTIVE) {
                        active++;
                    }
                }
            }
        }
        out.gauge("parley_rooms", "Live rooms on this instance", rooms);
        out.gauge("parley_participants", "Participants seated in live rooms (dropped ones within the grace included)",
                participants);
        Map<String, LongAdder> byState = new TreeMap<>();
        byState.computeIfAbsent("ringing", s -> new LongAdder()).add(ringing);
        byState.computeIfAbsent("active", s -> new LongAdder()).add(active);
        out.gauges("parley_calls", "Calls in progress, by state", "state", byState);
    }

    private double historyLag() {
        HistoryEvent oldest = history.oldestPending();
        Instant at = oldest == null ? null : oldest.at();
        return at == null ? 0 : Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0);
    }

    /** Pending webhook deliveries; -1 (left out) while the database does not answer. */
    private long webhookBacklog() {
        try (Connection c = dialect.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM parley_webhook_delivery WHERE status = 'pending'")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }
}
