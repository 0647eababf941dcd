package dev.parley.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.ConfigProvider;

/** Makes the validated settings and the clock injectable; both are read once per deployment. */
@ApplicationScoped
public class ConfigProducer {

    private final ParleyConfig config = new ParleyConfig(ConfigProvider.getConfig(ConfigProducer.class.getClassLoader()));

    @Produces
    public ParleyConfig config() {
        return config;
    }

    /** Time is injected so timers can be tested without sleeping. */
    @Produces
    public Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC); // the database keeps milliseconds: so does every instant
    }
}
