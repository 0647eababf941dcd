package dev.parley.reports;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.api.Params;
import dev.parley.db.Dialect;
import dev.parley.history.HistoryWriter;
import dev.parley.security.AdminOnly;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
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

/**
 * {@code GET /api/reports/calls}: calls per hour, day or week, oldest first, periods without calls left out;
 * {@code GET /api/reports/rooms}: the busiest rooms. Both default to the 30 days up to the end of today (UTC).
 */
@Tag(name = "reports", description = "Call aggregates over time (admin)")
@Path("reports")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ReportsResource {

    @Inject
    Dialect dialect;
    @Inject
    HistoryWriter writer;
    @Inject
    Clock clock;
    @Resource
    ManagedExecutorService executor;

    @GET
    @Path("calls")
    @AdminOnly
    @Operation(summary = "Calls per period", description = "Calls per hour, day or week (UTC), oldest first, periods "
            + "without calls left out; default: the last 30 days by day.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "instant or date (UTC), inclusive", example = "2026-11-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "instant or date (UTC), exclusive", example = "2026-12-01")
    @Parameter(name = "interval", in = ParameterIn.QUERY, description = "hour, day or week", example = "day")
    @APIResponse(responseCode = "200", description = "rows", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "rows", value = "[{\"period\":\"2026-11-23\",\"calls\":12,\"answered\":10,"
                    + "\"missed\":1,\"rejected\":1,\"avgDurationS\":312.5,\"p95SetupMs\":2100}]")))
    @APIResponse(responseCode = "400", description = "bad query parameter")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String calls(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("interval") String interval) throws SQLException {
        String unit = Params.oneOf("interval", interval, Set.of("hour", "day", "week"));
        CallReport.Interval by = unit == null ? CallReport.Interval.DAY
                : CallReport.Interval.valueOf(unit.toUpperCase(Locale.ROOT));
        Instant[] range = range(from, to);
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        for (CallReport.Row r : report().calls(range[0], range[1], by)) {
            JsonObjectBuilder row = JSON.createObjectBuilder().add("period", r.period()).add("calls", r.calls())
                    .add("answered", r.answered()).add("missed", r.missed()).add("rejected", r.rejected());
            number(row, "avgDurationS", r.avgDurationS());
            number(row, "avgSetupMs", r.avgSetupMs());
            number(row, "p95SetupMs", r.p95SetupMs());
            number(row, "relayShare", r.relayShare());
            number(row, "avgRttMs", r.avgRttMs());
            number(row, "avgPacketsLostPct", r.avgPacketsLostPct());
            rows.add(row);
        }
        return rows.build().toString();
    }

    @GET
    @Path("rooms")
    @AdminOnly
    @Operation(summary = "Busiest rooms", description = "Rooms by number of calls in the range, most first.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "instant or date (UTC)")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "instant or date (UTC)")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1..500, default 20", example = "20")
    @APIResponse(responseCode = "200", description = "rooms")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String rooms(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("limit") String limit) throws SQLException {
        Instant[] range = range(from, to);
        int top = Params.integer("limit", limit, 20, 1, 500);
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        for (CallReport.RoomRow r : report().rooms(range[0], range[1], top)) {
            JsonObjectBuilder row = JSON.createObjectBuilder().add("room", r.room()).add("calls", r.calls())
                    .add("answered", r.answered()).add("totalDurationS", r.totalDurationS())
                    .add("lastCallAt", r.lastCallAt().toString());
            number(row, "avgDurationS", r.avgDurationS());
            rows.add(row);
        }
        return rows.build().toString();
    }

    /** {@code GET /api/reports/distribution?metric=setupMs|durationS}: answered calls per bucket. */
    @GET
    @Path("distribution")
    @AdminOnly
    @Operation(summary = "Distribution of setup time or duration", description = "Answered calls per bucket.")
    @Parameter(name = "metric", in = ParameterIn.QUERY, description = "setupMs or durationS", example = "setupMs")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "instant or date (UTC)")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "instant or date (UTC)")
    @APIResponse(responseCode = "200", description = "buckets")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String distribution(@QueryParam("metric") String metric, @QueryParam("from") String from,
                               @QueryParam("to") String to) throws SQLException {
        String which = Params.oneOf("metric", metric, Set.of("setupMs", "durationS"));
        if (which == null) {
            throw ApiException.badRequest("'metric' is required: setupMs or durationS");
        }
        Instant[] range = range(from, to);
        CallReport.Distribution d = report().distribution(range[0], range[1], which.equals("setupMs"));
        JsonArrayBuilder buckets = JSON.createArrayBuilder();
        for (int i = 0; i < d.labels().size(); i++) {
            buckets.add(JSON.createObjectBuilder().add("bucket", d.labels().get(i)).add("calls", d.counts().get(i)));
        }
        return JSON.createObjectBuilder().add("metric", which).add("buckets", buckets).build().toString();
    }

    private CallReport report() {
        writer.awaitWritten(Duration.ofSeconds(2));
        return new CallReport(dialect.dataSource(), dialect.isH2(), executor);
    }

    private Instant[] range(String from, String to) {
        Instant end = Params.instant("to", to);
        Instant start = Params.instant("from", from);
        if (end == null) {
            end = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        }
        if (start == null) {
            start = end.minus(Duration.ofDays(30));
        }
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("'from' must be before 'to'");
        }
        return new Instant[] {start, end};
    }

    private static void number(JsonObjectBuilder row, String field, Double value) {
        if (value == null) {
            row.addNull(field);
        } else {
            row.add(field, value);
        }
    }
}
