package dev.parley.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The container's timers on a plain scheduler: they fire, they can be called off, and none outlives the application. */
class ScheduledTimersTest {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
    private final ScheduledTimers timers = new ScheduledTimers();

    @BeforeEach
    void setUp() {
        executor.setRemoveOnCancelPolicy(true); // so the queue shows exactly what is still to run
        timers.scheduler = (ManagedScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(executor, args); // schedule(...) is ScheduledExecutorService's
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void aTimerFiresAndIsThenNoLongerPending() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        timers.schedule(Duration.ofMillis(20), fired::countDown);

        assertTrue(fired.await(5, TimeUnit.SECONDS));
        awaitNonePending();
    }

    @Test
    void aCancelledTimerNeverRunsAndIsForgotten() {
        AtomicInteger ran = new AtomicInteger();
        Timers.Timer timer = timers.schedule(Duration.ofHours(1), ran::incrementAndGet);
        assertEquals(1, timers.pending());

        timer.cancel();

        assertEquals(0, timers.pending());
        assertTrue(executor.getQueue().isEmpty(), "the scheduler still holds the task");
        assertEquals(0, ran.get());
    }

    @Test
    void stoppingCallsOffEveryPendingTimerAndLeavesTheOthersAlone() throws InterruptedException {
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            timers.schedule(Duration.ofHours(1), ran::incrementAndGet);
        }
        CountDownLatch fired = new CountDownLatch(1);
        timers.schedule(Duration.ZERO, fired::countDown);
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        awaitNonePendingBut(1000);

        timers.cancelPending();

        assertEquals(0, timers.pending());
        assertTrue(executor.getQueue().isEmpty(), executor.getQueue().size() + " tasks left in the scheduler");
        assertEquals(0, ran.get());
    }

    @Test
    void aFailingTaskIsLoggedAndForgottenAndOthersStillFire() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        timers.schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("expected by the test");
        });
        timers.schedule(Duration.ofMillis(20), fired::countDown);

        assertTrue(fired.await(5, TimeUnit.SECONDS));
        awaitNonePending();
    }

    @Test
    void timersScheduledFromManyThreadsAtOnceAreAllAccountedFor() throws InterruptedException {
        // Timers that fire while they are still being added must not stay behind in the pending set.
        AtomicInteger ran = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5000; i++) {
                    timers.schedule(Duration.ZERO, ran::incrementAndGet);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ran.get() < 20_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(20_000, ran.get());
        awaitNonePending();
    }

    private void awaitNonePending() throws InterruptedException {
        awaitNonePendingBut(0);
    }

    /** Waits for the fired timers to leave the set (a task leaves it as it starts, so at most a moment after). */
    private void awaitNonePendingBut(int stillWaiting) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (timers.pending() != stillWaiting && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(stillWaiting, timers.pending());
    }
}
