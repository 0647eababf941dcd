package dev.parley.app;

import dev.parley.history.HistoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once start-up finished (schema migrated) and while the database answers. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    Lifecycle lifecycle;
    @Inject
    HistoryStore store;

    @Override
    public HealthCheckResponse call() {
        boolean database;
        try {
            database = store.reachable();
        } catch (RuntimeException e) {
            database = false;
        }
        return HealthCheckResponse.named("parley")
                .status(lifecycle.ready() && database)
                .withData("started", lifecycle.ready())
                .withData("database", database)
                .build();
    }
}
