package dev.parley.webhooks;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.db.Dialect;
import dev.parley.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
    @Operation(summary = "Dead letters", description = "Webhook events that could not be delivered within "
            + "parley.webhook.max-age (id: the event id), oldest first, at most 1000.")
    @APIResponse(responseCode = "200", description = "dead letters")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String list() throws SQLException {
        JsonArrayBuilder letters = JSON.createArrayBuilder();
        try (Connection c = dialect.dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT e.id, d.url, e.type, e.room_name, e.seq, d.attempts, "
                     + "d.last_error, e.created_at, e.body FROM parley_webhook_delivery d "
                     + "JOIN parley_webhook_event e ON e.id = d.event_id WHERE d.status = 'dead' "
                     + "ORDER BY e.created_at, e.seq LIMIT 1000");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                letters.add(JSON.createObjectBuilder().add("id", r.getString(1)).add("url", r.getString(2))
                        .add("type", r.getString(3)).add("room", r.getString(4)).add("seq", r.getLong(5))
                        .add("attempts", r.getInt(6)).add("lastError", r.getString(7) == null ? "" : r.getString(7))
                        .add("createdAt", r.getTimestamp(8).toLocalDateTime().toInstant(ZoneOffset.UTC).toString())
                        .add("event", JSON.createReader(new java.io.StringReader(r.getString(9))).readObject()));
            }
        }
        return letters.build().toString();
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
        try (Connection c = dialect.dataSource().getConnection();
             PreparedStatement u = c.prepareStatement("UPDATE parley_webhook_delivery SET status = 'pending', "
                     + "attempts = 0, created_at = ?, next_attempt_at = ?, last_error = NULL "
                     + "WHERE event_id = ? AND status = 'dead'")) {
            var now = WebhookSender.utc(clock.instant());
            u.setTimestamp(1, now);
            u.setTimestamp(2, now);
            u.setString(3, id);
            if (u.executeUpdate() == 0) {
                throw ApiException.notFound("no dead letter with that id");
            }
        }
        return Response.noContent().build();
    }
}
