package dev.parley.testing;

import dev.parley.time.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Timers that fire only when the test advances the clock: {@link #advance} moves the {@link MutableClock}
 * and runs, in due order, every task that has come due and was not cancelled.
 */
public final class ManualTimers implements Timers {

    public final class Scheduled implements Timer {
        public final Instant due;
        public final Runnable task;
        private boolean cancelled;
        private boolean ran;

        Scheduled(Instant due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }

        /** Runs the task as a timer that had already started when it was cancelled would. */
        public void runAnyway() {
            ran = true;
            task.run();
        }
    }

    private final MutableClock clock;
    private final List<Scheduled> scheduled = new ArrayList<>();

    public ManualTimers(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Scheduled s = new Scheduled(clock.instant().plus(delay), task);
        scheduled.add(s);
        return s;
    }

    /** Moves time forward, firing what comes due on the way (each at its due time). */
    public void advance(Duration by) {
        Instant end = clock.instant().plus(by);
        while (true) {
            Scheduled next = scheduled.stream()
                    .filter(s -> !s.cancelled && !s.ran && !s.due.isAfter(end))
                    .min(Comparator.comparing(s -> s.due))
                    .orElse(null);
            if (next == null) {
                break;
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            next.ran = true;
            next.task.run();
        }
        clock.set(end);
    }

    /** Tasks scheduled so far, fired or not, in scheduling order. */
    public List<Scheduled> all() {
        return List.copyOf(scheduled);
    }

    /** Tasks still waiting to fire. */
    public long pending() {
        return scheduled.stream().filter(s -> !s.cancelled && !s.ran).count();
    }
}
