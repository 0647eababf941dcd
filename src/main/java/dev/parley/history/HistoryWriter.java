package dev.parley.history;

import dev.parley.cluster.Grid;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Metrics;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The record path: takes events from the signal path without ever blocking it, and writes them in order,
 * in batches, on one thread of its own. While the database is away it keeps the events and retries with
 * backoff, so nothing is lost and signaling goes on. What it keeps is bounded by turning newcomers away once
 * {@code parley.history.max-backlog} events wait ({@link #behind()}); those already in go on being recorded.
 */
@ApplicationScoped
public class HistoryWriter implements HistorySink {

    private static final Logger LOG = Logger.getLogger(HistoryWriter.class.getName());
    private static final int BATCH = 200;
    /**
     * An event that fails this often while the database answers, for a reason {@link WriteFailure} cannot place, is
     * broken, not waiting: it is logged and skipped. One the database can never store is skipped at once; one refused
     * for a passing reason is kept until it is written.
     */
    private static final int MAX_ATTEMPTS_WHILE_REACHABLE = 5;

    @Inject
    HistoryStore store;
    @Inject
    ParleyConfig config;
    @Resource
    ManagedThreadFactory threads;
    /** Names this instance in the rows it writes. */
    @Inject
    Grid grid;
    /** Replaced by the container's; counts calls ended by reason, whoever ended them. */
    @Inject
    Metrics metrics = new Metrics();

    private final LinkedBlockingQueue<HistoryEvent> queue = new LinkedBlockingQueue<>();
    private final Object progress = new Object();
    private long queued;
    private long written;
    private volatile boolean running;
    /** The first event of the batch being written (null between batches): the oldest not yet written. */
    private volatile HistoryEvent inFlight;
    private Thread thread;

    @Override
    public void record(HistoryEvent event) {
        if (event instanceof HistoryEvent.CallEnded ended) {
            metrics.callEnded(ended.reason());
        }
        synchronized (progress) {
            queued++;
        }
        queue.add(event);
    }

    public void start() {
        running = true;
        thread = threads.newThread(this::run);
        thread.setName("parley-history-writer");
        thread.start();
    }

    /** Waits (bounded) until everything recorded so far is written, so a query reads its own writes. */
    public boolean awaitWritten(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long target = queued;
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** At {@code parley.history.max-backlog}: see {@link HistorySink#behind()}. */
    @Override
    public boolean behind() {
        return backlog() >= config.historyMaxBacklog;
    }

    public long backlog() {
        synchronized (progress) {
            return queued - written;
        }
    }

    /** The oldest event recorded but not yet written, or null: what the history lag metric is measured from. */
    public HistoryEvent oldestPending() {
        HistoryEvent first = inFlight;
        return first != null ? first : queue.peek();
    }

    public void stop(Duration drainTimeout) {
        awaitWritten(drainTimeout);
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        List<HistoryEvent> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                HistoryEvent first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                inFlight = first;
                write(batch);
                inFlight = null;
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    /** A batch in one transaction; if that fails, event by event, so one bad event cannot hold the rest. */
    private void write(List<HistoryEvent> batch) throws InterruptedException {
        try {
            store.apply(batch, grid.instanceId());
            done(batch.size());
        } catch (RuntimeException e) {
            LOG.warning("A batch of " + batch.size() + " history events failed (" + e + "); writing them one by one");
            for (HistoryEvent event : batch) {
                writeWithRetry(event);
            }
        }
    }

    private void writeWithRetry(HistoryEvent event) throws InterruptedException {
        long backoff = 100;
        int refusals = 0;
        while (true) {
            try {
                store.apply(List.of(event), grid.instanceId());
                done(1);
                return;
            } catch (RuntimeException e) {
                WriteFailure failure = WriteFailure.of(e);
                boolean refused = failure != WriteFailure.PASSING && isReachable();
                if (refused && (failure == WriteFailure.PERMANENT || ++refusals >= MAX_ATTEMPTS_WHILE_REACHABLE)) {
                    LOG.log(Level.SEVERE, "Dropping a history event the database refuses: "
                            + event.getClass().getSimpleName(), e);
                    done(1);
                    return;
                }
                if (backoff == 100 || backoff == 5_000) {
                    LOG.warning("History write failed (" + e + "); " + backlog() + " events wait; retrying");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private boolean isReachable() {
        try {
            return store.reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void done(int count) {
        synchronized (progress) {
            written += count;
            progress.notifyAll();
        }
    }
}
