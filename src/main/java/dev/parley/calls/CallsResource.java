package dev.parley.calls;

import dev.parley.api.ApiException;
import dev.parley.api.Params;
import dev.parley.db.Dialect;
import dev.parley.history.HistoryWriter;
import dev.parley.rooms.Presence;
import dev.parley.rooms.RoomNames;
import dev.parley.security.AdminOnly;
import dev.parley.security.Bearer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/** Call history for admins (JSON pages or a CSV stream), and the quality reports of the call's own participants. */
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
        JsonArrayBuilder items = Json.createArrayBuilder();
        result.items().forEach(c -> items.add(CallJson.of(c)));
        return Json.createObjectBuilder().add("items", items).add("total", result.total()).add("page", pageNo)
                .add("size", pageSize).build().toString();
    }

    @GET
    @AdminOnly
    @Produces("text/csv; qs=0.5")
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
    public Response quality(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            String rawBody) {
        String token = Bearer.token(auth);
        String participant = token == null ? null : presence.participantOfToken(token).orElse(null);
        if (participant == null) {
            throw new ApiException(401, "unauthorized", "a current resume token of a participant is required");
        }
        CallQuality quality = quality(Params.body(rawBody));
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
