package dev.parley.time;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Timers on the container's managed scheduler, so tasks run with the application's context. */
@ApplicationScoped
public class ScheduledTimers implements Timers {

    private static final Logger LOG = Logger.getLogger(ScheduledTimers.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        var future = scheduler.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Timer task failed", e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
