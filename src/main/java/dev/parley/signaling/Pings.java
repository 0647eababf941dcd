package dev.parley.signaling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the heartbeat's pings on the executor, one batch per tick, never on the heartbeat's own thread: WildFly's
 * Undertow sends a ping blocking, even through the async API, so a client whose socket buffer is full holds the thread
 * that pings it until TCP gives up (minutes). On the heartbeat's thread that would stop every socket's checks. Here it
 * holds one runner; a tick that finds a batch stalled since the last tick starts another runner on what is left of it,
 * so the other sockets of the batch are pinged within a tick or two, and the stuck socket's later pings only queue in
 * its own outbox behind the one in flight until the heartbeat closes it for its silence. Only the heartbeat (one run
 * at a time) calls it.
 *
 * <p>A batch's pings go out {@link #GROUP} at a time, the groups spread evenly over a share of the tick, so that their
 * pongs come back spread too. Sent all at once, 10,000 sockets' pings came in bursts of 200 every 100 ms; on Payara,
 * where each ping and pong costs as much CPU as a relayed message, a burst held the one CPU for tens of ms, and the
 * relayed messages that came meanwhile waited behind it.
 */
final class Pings {

    /** Pings sent back to back before the runner waits for the next group's time. */
    static final int GROUP = 16;

    /** Batches not all sent yet. */
    private final Deque<Batch> unfinished = new ArrayDeque<>();

    /**
     * Pings {@code connections} (this tick's), spread over the next {@code spreadNanos}, and helps any earlier batch a
     * blocking ping has stalled.
     */
    void send(List<Connection> connections, Executor executor, long spreadNanos) {
        unfinished.removeIf(Batch::drained);
        for (Batch batch : unfinished) {
            if (batch.stalledSinceLastLook()) {
                execute(batch, executor);
            }
        }
        if (!connections.isEmpty()) {
            Batch batch = new Batch(connections, System.nanoTime(), spreadNanos);
            unfinished.add(batch);
            execute(batch, executor);
        }
    }

    private static void execute(Batch batch, Executor executor) {
        try {
            executor.execute(batch);
        } catch (RejectedExecutionException e) {
            // The server is stopping: no more pings are needed.
        }
    }

    /** One tick's pings; any number of runners share it, each taking the next socket not yet taken. */
    private static final class Batch implements Runnable {
        private final List<Connection> connections;
        private final long startNanos;
        /** Time between the starts of two groups. */
        private final long groupNanos;
        private final AtomicInteger next = new AtomicInteger();
        /** Where {@link #next} stood when the heartbeat last looked; only the heartbeat reads and writes it. */
        private int lastLook = -1;

        Batch(List<Connection> connections, long startNanos, long spreadNanos) {
            this.connections = connections;
            this.startNanos = startNanos;
            this.groupNanos = spreadNanos / ((connections.size() + GROUP - 1) / GROUP);
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < connections.size(); i = next.getAndIncrement()) {
                if (i % GROUP == 0) {
                    waitUntil(startNanos + i / GROUP * groupNanos);
                }
                connections.get(i).ping();
            }
        }

        /** Parks until {@code due} (nanoTime); a runner that is late goes on at once. */
        private static void waitUntil(long due) {
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
        }

        boolean drained() {
            return next.get() >= connections.size();
        }

        /** Started, not finished, and no further on since the heartbeat last looked: a ping is blocking its runner. */
        boolean stalledSinceLastLook() {
            int now = next.get();
            boolean stalled = now > 0 && now < connections.size() && now == lastLook;
            lastLook = now;
            return stalled;
        }
    }
}
