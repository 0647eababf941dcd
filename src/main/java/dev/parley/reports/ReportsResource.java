package dev.parley.reports;

import dev.parley.api.ApiException;
import dev.parley.api.Params;
import dev.parley.history.HistoryWriter;
import dev.parley.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;

/** {@code GET /api/reports/calls}: calls per hour, day or week, oldest first; periods without calls are left out. */
@Path("reports")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ReportsResource {

    @Inject
    CallReport report;
    @Inject
    HistoryWriter writer;
    @Inject
    Clock clock;

    @GET
    @Path("calls")
    @AdminOnly
    public String calls(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("interval") String interval) {
        String unit = Params.oneOf("interval", interval, Set.of("hour", "day", "week"));
        CallReport.Interval by = unit == null ? CallReport.Interval.DAY
                : CallReport.Interval.valueOf(unit.toUpperCase(Locale.ROOT));
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
        writer.awaitWritten(Duration.ofSeconds(2));
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (CallReport.Row r : report.calls(start, end, by)) {
            JsonObjectBuilder row = Json.createObjectBuilder().add("period", r.period()).add("calls", r.calls())
                    .add("answered", r.answered()).add("missed", r.missed()).add("rejected", r.rejected());
            if (r.avgDurationS() == null) {
                row.addNull("avgDurationS");
            } else {
                row.add("avgDurationS", r.avgDurationS());
            }
            if (r.p95SetupMs() == null) {
                row.addNull("p95SetupMs");
            } else {
                row.add("p95SetupMs", r.p95SetupMs());
            }
            rows.add(row);
        }
        return rows.build().toString();
    }
}
