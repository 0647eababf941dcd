package dev.parley.app;

import dev.parley.history.HistoryStore;
import dev.parley.history.HistoryWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once start-up finished (schema migrated) and while the database answers, as operators expect of a
 * service whose record of calls is the point, and while history is not so far behind that newcomers are turned
 * away ({@code historyBehind}). Signaling itself keeps working through an outage (history waits in the writer: see
 * {@code historyBacklog}), so a load balancer may keep live sockets where they are.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    Lifecycle lifecycle;
    @Inject
    HistoryStore store;
    @Inject
    HistoryWriter writer;

    @Override
    public HealthCheckResponse call() {
        boolean database;
        try {
            database = store.reachable();
        } catch (RuntimeException e) {
            database = false;
        }
        return HealthCheckResponse.named("parley")
                .status(lifecycle.ready() && database && !writer.behind())
                .withData("started", lifecycle.ready())
                .withData("database", database)
                .withData("historyBacklog", writer.backlog())
                .withData("historyBehind", writer.behind())
                .build();
    }
}
