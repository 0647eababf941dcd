package dev.parley.calls;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.api.JsonBody;
import dev.parley.api.Params;
import dev.parley.config.ParleyConfig;
import dev.parley.db.Dialect;
import dev.parley.history.HistoryWriter;
import dev.parley.rooms.Presence;
import dev.parley.rooms.RoomNames;
import dev.parley.security.AdminOnly;
import dev.parley.security.Bearer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Call history for admins (JSON pages or a CSV stream), and the quality reports of the call's own participants. */
@Tag(name = "calls", description = "Call history (admin) and quality reports (participants)")
@Path("calls")
@RequestScoped
public class CallsResource {

    static final Set<String> STATUSES = Set.of("ringing", "active", "ended");
    static final Set<String> REASONS = Set.of("hangup", "cancelled", "rejected", "missed", "disconnected", "left",
            "kicked", "room-closed", "server-shutdown", "server-restart");
    static final Set<String> CANDIDATE_TYPES = Set.of("host", "srflx", "prflx", "relay");
    /** How long a query waits for history still being written, so it reads what just happened. */
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);

    @Inject
    CallQueries queries;
    @Inject
    HistoryWriter writer;
    @Inject
    Presence presence;
    @Inject
    Dialect dialect;
    @Inject
    ParleyConfig config;
    @Inject
    QualityReportLimit qualityLimit;

    @QueryParam("room")
    String room;
    @QueryParam("status")
    String status;
    @QueryParam("reason")
    String reason;
    @QueryParam("from")
    String from;
    @QueryParam("to")
    String to;
    @QueryParam("participant")
    String participant;
    @QueryParam("minDurationS")
    String minDurationS;

    @GET
    @AdminOnly
    @Produces("application/json; qs=1")
    @Operation(summary = "Call history", description = "Newest first by default, filtered and paged; with "
            + "Accept: text/csv every matching row is streamed as CSV instead.")
    @Parameter(name = "room", in = ParameterIn.QUERY, description = "room name", example = "standup")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "ringing, active or ended", example = "ended")
    @Parameter(name = "reason", in = ParameterIn.QUERY, description = "end reason", example = "hangup")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "startedAt at or after (instant or date, UTC)", example = "2026-11-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "startedAt before (instant or date, UTC)")
    @Parameter(name = "participant", in = ParameterIn.QUERY, description = "either side's name, any case, substring")
    @Parameter(name = "minDurationS", in = ParameterIn.QUERY, description = "shortest duration in seconds")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "0-based page", example = "0")
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "1..500, default 50", example = "50")
    @Parameter(name = "sort", in = ParameterIn.QUERY, description = "startedAt|-startedAt|durationS|-durationS|setupMs|-setupMs", example = "-startedAt")
    @APIResponse(responseCode = "200", description = "a page of calls", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "page", value = "{\"items\":[{\"id\":\"c-7d2e\",\"room\":\"standup\",\"caller\":{\"id\":\"p-3f9a\",\"name\":\"Ada\"},\"callee\":{\"id\":\"p-81bc\",\"name\":\"Grace\"},\"status\":\"ended\",\"startedAt\":\"2026-11-23T20:15:00Z\",\"answeredAt\":\"2026-11-23T20:15:03Z\",\"endedAt\":\"2026-11-23T20:20:03Z\",\"endReason\":\"hangup\",\"durationS\":300,\"setupMs\":3000,\"quality\":{}}],\"total\":1,\"page\":0,\"size\":50}")))
    @APIResponse(responseCode = "400", description = "bad query parameter")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String list(@QueryParam("page") String page, @QueryParam("size") String size,
                       @QueryParam("sort") String sort) {
        CallFilter filter = filter();
        CallOrder order = sort == null || sort.isBlank() ? CallOrder.NEWEST : CallOrder.BY_PARAMETER.get(sort.trim());
        if (order == null) {
            throw ApiException.badRequest("'sort' must be one of " + String.join(", ", CallOrder.BY_PARAMETER.keySet()));
        }
        int pageNo = Params.integer("page", page, 0, 0, 10_000_000);
        int pageSize = Params.integer("size", size, 50, 1, 500);
        writer.awaitWritten(READ_YOUR_WRITES);
        CallQueries.Page result = queries.page(filter, order, pageNo, pageSize);
        JsonArrayBuilder items = JSON.createArrayBuilder();
        result.items().forEach(c -> items.add(CallJson.of(c)));
        return JSON.createObjectBuilder().add("items", items).add("total", result.total()).add("page", pageNo)
                .add("size", pageSize).build().toString();
    }

    @GET
    @AdminOnly
    @Produces("text/csv; qs=0.5")
    @Operation(summary = "Call history as CSV", description = "Every matching call (same filters), streamed, header first.")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public Response csv() {
        CallFilter filter = filter();
        writer.awaitWritten(READ_YOUR_WRITES);
        CallExport export = new CallExport(dialect.dataSource());
        StreamingOutput body = output -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
            CallCsv csv = new CallCsv(out);
            csv.header();
            try {
                export.forEach(filter, csv::row);
            } catch (java.sql.SQLException e) {
                throw new java.io.IOException("export interrupted: database error", e);
            }
            out.flush();
        };
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"parley-calls.csv\"").build();
    }

    @GET
    @Path("{id}")
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One call", description = "A call of the history, with its quality reports.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "call id")
    @APIResponse(responseCode = "200", description = "the call", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "call", value = "{\"id\":\"c-7d2e\",\"room\":\"standup\",\"caller\":{\"id\":\"p-3f9a\",\"name\":\"Ada\"},\"callee\":{\"id\":\"p-81bc\",\"name\":\"Grace\"},\"status\":\"ended\",\"startedAt\":\"2026-11-23T20:15:00Z\",\"answeredAt\":\"2026-11-23T20:15:03Z\",\"endedAt\":\"2026-11-23T20:20:03Z\",\"endReason\":\"hangup\",\"durationS\":300,\"setupMs\":3000,\"quality\":{}}")))
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "404", description = "no such call")
    @SecurityRequirement(name = "adminToken")
    public String get(@PathParam("id") String id) {
        writer.awaitWritten(READ_YOUR_WRITES);
        Call call = queries.find(id);
        if (call == null) {
            throw ApiException.notFound("no such call");
        }
        return CallJson.of(call).toString();
    }

    /** A participant's own summary of the call; its latest resume token proves who it is. */
    @POST
    @Path("{id}/quality")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a call quality report", description = "By a participant of the call, with its "
            + "latest resumeToken as Bearer, up to 10 minutes after it left; each side's report is kept.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "call id")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "report",
            value = "{\"rttMs\":42,\"jitterMs\":3.5,\"packetsLostPct\":0.2,\"bitrateKbps\":1450,\"candidateType\":\"host\"}")))
    @APIResponse(responseCode = "204", description = "kept")
    @APIResponse(responseCode = "400", description = "bad body")
    @APIResponse(responseCode = "401", description = "resume token missing, wrong or expired")
    @APIResponse(responseCode = "403", description = "not a participant of that call")
    @APIResponse(responseCode = "404", description = "no such call")
    @APIResponse(responseCode = "413", description = "too-large: a body over parley.api.max-body-bytes")
    @APIResponse(responseCode = "429", description = "rate-limited: over parley.calls.quality-rate reports a minute "
            + "from this participant; with Retry-After")
    @SecurityRequirement(name = "adminToken")
    public Response quality(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream rawBody) {
        String token = Bearer.token(auth);
        String participant = token == null ? null : presence.participantOfToken(token).orElse(null);
        if (participant == null) {
            throw new ApiException(401, "unauthorized", "a current resume token of a participant is required");
        }
        long wait = qualityLimit.acquire(participant);
        if (wait > 0) {
            throw ApiException.rateLimited("too many quality reports from this participant; retry later", wait);
        }
        CallQuality quality = quality(JsonBody.read(rawBody, contentType, config.apiMaxBodyBytes));
        writer.awaitWritten(READ_YOUR_WRITES);
        Call call = queries.find(id);
        if (call == null) {
            throw ApiException.notFound("no such call");
        }
        if (!participant.equals(call.callerId) && !participant.equals(call.calleeId)) {
            throw new ApiException(403, "forbidden", "only the call's participants may report its quality");
        }
        queries.recordQuality(id, participant, quality);
        return Response.noContent().build();
    }

    private CallFilter filter() {
        String roomName = room == null || room.isBlank() ? null : RoomNames.normalize(room.trim())
                .orElseThrow(() -> ApiException.badRequest("'room' is not a valid room name"));
        String who = participant == null || participant.isBlank() ? null : participant.strip();
        if (who != null && who.length() > 64) {
            throw ApiException.badRequest("'participant' is longer than 64 characters");
        }
        if (who != null && who.chars().anyMatch(Character::isISOControl)) {
            // No name holds one (the codec refuses them), and PostgreSQL refuses a NUL in any text.
            throw ApiException.badRequest("'participant' must not contain control characters");
        }
        Integer min = minDurationS == null || minDurationS.isBlank() ? null
                : Params.integer("minDurationS", minDurationS, 0, 0, Integer.MAX_VALUE);
        var filter = new CallFilter(roomName, Params.oneOf("status", status, STATUSES),
                Params.oneOf("reason", reason, REASONS), Params.instant("from", from), Params.instant("to", to),
                who, min == null ? null : min.longValue());
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        return filter;
    }

    private static CallQuality quality(JsonObject body) {
        CallQuality q = new CallQuality();
        q.rttMs = number(body, "rttMs", 600_000);
        q.jitterMs = number(body, "jitterMs", 600_000);
        q.packetsLostPct = number(body, "packetsLostPct", 100);
        q.bitrateKbps = number(body, "bitrateKbps", 10_000_000);
        JsonValue type = body.get("candidateType");
        if (type != null && type.getValueType() != JsonValue.ValueType.NULL) {
            if (!(type instanceof JsonString s) || !CANDIDATE_TYPES.contains(s.getString())) {
                throw ApiException.badRequest("'candidateType' must be one of host, srflx, prflx, relay");
            }
            q.candidateType = s.getString();
        }
        // A later report replaces the side's earlier one: an empty one would erase it.
        if (q.isEmpty()) {
            throw ApiException.badRequest("the report has none of rttMs, jitterMs, packetsLostPct, bitrateKbps, candidateType");
        }
        return q;
    }

    private static Double number(JsonObject body, String field, double max) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonNumber n && n.doubleValue() >= 0 && n.doubleValue() <= max) {
            return n.doubleValue();
        }
        throw ApiException.badRequest("'" + field + "' must be a number from 0 to " + (long) max);
    }
}
