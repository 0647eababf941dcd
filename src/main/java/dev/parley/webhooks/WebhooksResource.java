package dev.parley.webhooks;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.api.Params;
import dev.parley.db.Dialect;
import dev.parley.db.Sql;
import dev.parley.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Webhook deliveries that ran out of time (dead letters), and sending one again. Admin only. */
@Tag(name = "webhooks", description = "Webhook deliveries that failed for good (admin)")
@Path("webhooks/dead-letters")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    @Inject
    Dialect dialect;
    @Inject
    Clock clock;

    @GET
    @AdminOnly
    @Operation(summary = "Dead letters", description = "Webhook deliveries that could not be made within "
            + "parley.webhook.max-age (id: the event id), oldest first, a page at a time (size at most 1000); "
            + "the X-Total-Count header gives how many there are in all.")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "0-based page", example = "0")
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "1-1000, default 1000", example = "100")
    @APIResponse(responseCode = "200", description = "dead letters")
    @APIResponse(responseCode = "400", description = "page or size out of range")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public Response list(@QueryParam("page") String page, @QueryParam("size") String size) throws SQLException {
        int pageNo = Params.integer("page", page, 0, 0, 10_000_000);
        int pageSize = Params.integer("size", size, 1000, 1, 1000);
        JsonArrayBuilder letters = JSON.createArrayBuilder();
        long total;
        try (Connection c = dialect.dataSource().getConnection()) {
            try (PreparedStatement q = c.prepareStatement("SELECT e.id, d.url, e.type, e.room_name, e.seq, d.attempts, "
                    + "d.last_error, e.created_at, e.body FROM parley_webhook_delivery d "
                    + "JOIN parley_webhook_event e ON e.id = d.event_id WHERE d.status = 'dead' "
                    + "ORDER BY e.created_at, e.seq, e.id, d.url LIMIT ? OFFSET ?")) {
                q.setInt(1, pageSize);
                q.setLong(2, (long) pageNo * pageSize);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        letters.add(JSON.createObjectBuilder().add("id", r.getString(1)).add("url", r.getString(2))
                                .add("type", r.getString(3)).add("room", r.getString(4)).add("seq", r.getLong(5))
                                .add("attempts", r.getInt(6)).add("lastError", r.getString(7) == null ? "" : r.getString(7))
                                .add("createdAt", r.getTimestamp(8).toLocalDateTime().toInstant(ZoneOffset.UTC).toString())
                                .add("event", JSON.createReader(new java.io.StringReader(r.getString(9))).readObject()));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM parley_webhook_delivery WHERE status = 'dead'");
                 ResultSet r = q.executeQuery()) {
                r.next();
                total = r.getLong(1);
            }
        }
        return Response.ok(letters.build().toString()).header("X-Total-Count", total).build();
    }

    /** Queues every dead delivery again (those to {@code url} only, if given): after a receiver's long outage. */
    @POST
    @Path("replay")
    @AdminOnly
    @Operation(summary = "Replay every dead letter", description = "Queues every dead delivery again (only those to "
            + "the receiver 'url', if given) with a fresh max-age window; answers how many.")
    @Parameter(name = "url", in = ParameterIn.QUERY, description = "only the deliveries to this receiver")
    @APIResponse(responseCode = "200", description = "{\"replayed\": n}")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String replayAll(@QueryParam("url") String url) throws SQLException {
        int replayed = url == null ? requeue(" WHERE status = 'dead'") : requeue(" WHERE status = 'dead' AND url = ?", url);
        return JSON.createObjectBuilder().add("replayed", replayed).build().toString();
    }

    /** Queues the event's dead deliveries again, with a fresh max-age window. */
    @POST
    @Path("{id}/replay")
    @AdminOnly
    @Operation(summary = "Replay a dead letter", description = "Queues the event's dead deliveries again with a "
            + "fresh max-age window.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "event id, as listed")
    @APIResponse(responseCode = "204", description = "queued again")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "404", description = "no dead letter with that id")
    @SecurityRequirement(name = "adminToken")
    public Response replay(@PathParam("id") String id) throws SQLException {
        if (requeue(" WHERE event_id = ? AND status = 'dead'", id) == 0) {
            throw ApiException.notFound("no dead letter with that id");
        }
        return Response.noContent().build();
    }

    /** Sets the dead deliveries {@code where} picks (with its {@code parameters}) pending again. */
    private int requeue(String where, Object... parameters) throws SQLException {
        var now = WebhookSender.utc(clock.instant());
        Object[] all = new Object[parameters.length + 2];
        all[0] = now;
        all[1] = now;
        System.arraycopy(parameters, 0, all, 2, parameters.length);
        try (Connection c = dialect.dataSource().getConnection()) {
            return Sql.of(c).update("UPDATE parley_webhook_delivery SET status = 'pending', attempts = 0, "
                    + "created_at = ?, next_attempt_at = ?, last_error = NULL" + where, all);
        }
    }
}
