package dev.parley.signaling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the heartbeat's pings on the executor, one batch per tick, never on the heartbeat's own thread: WildFly's
 * Undertow sends a ping blocking, even through the async API, so a client whose socket buffer is full holds the thread
 * that pings it until TCP gives up (minutes). On the heartbeat's thread that would stop every socket's checks. Here it
 * holds one runner; a tick that finds a batch stalled since the last tick starts another runner on what is left of it,
 * so the other sockets of the batch are pinged within a tick or two, and the stuck socket's later pings only queue in
 * its own outbox behind the one in flight until the heartbeat closes it for its silence. Only the heartbeat (one run
 * at a time) calls it.
 */
final class Pings {

    /** Batches not all sent yet. */
    private final Deque<Batch> unfinished = new ArrayDeque<>();

    /** Pings {@code connections} (this tick's), and helps any earlier batch a blocking ping has stalled. */
    void send(List<Connection> connections, Executor executor) {
        unfinished.removeIf(Batch::drained);
        for (Batch batch : unfinished) {
            if (batch.stalledSinceLastLook()) {
                execute(batch, executor);
            }
        }
        if (!connections.isEmpty()) {
            Batch batch = new Batch(connections);
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
        private final AtomicInteger next = new AtomicInteger();
        /** Where {@link #next} stood when the heartbeat last looked; only the heartbeat reads and writes it. */
        private int lastLook = -1;

        Batch(List<Connection> connections) {
            this.connections = connections;
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < connections.size(); i = next.getAndIncrement()) {
                connections.get(i).ping();
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
