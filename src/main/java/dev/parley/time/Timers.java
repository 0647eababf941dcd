package dev.parley.time;

import java.time.Duration;

/** Schedules the server's timers (ring timeout, resume grace, join timeout); tests drive a manual one. */
public interface Timers {

    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task that can be called off; cancelling a task that already ran does nothing. */
    interface Timer {
        void cancel();
    }

    Timer NONE = () -> { };
}
