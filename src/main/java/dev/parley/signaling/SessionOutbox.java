package dev.parley.signaling;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One session's outgoing frames: a bounded queue with at most one send in flight, so sends to one session
 * are serialized (the container forbids concurrent sends) while sends to different sessions never wait on
 * each other. A receiver that stops reading fills only its own queue and is then dropped.
 */
final class SessionOutbox {

    /** Stands in the queue for a heartbeat ping, so pings are serialized with text frames too. */
    private static final Object PING = new Object();
    /** Completions that arrive on the sending thread continue inline only this deep, then on the executor. */
    private static final int MAX_INLINE_DEPTH = 8;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final RemoteEndpoint.Async remote;
    private final Executor executor;
    private final int limit;
    private final Runnable onOverflow;
    private final Runnable onRefused;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;

    /**
     * @param onOverflow runs (on the executor) when the receiver has let {@code limit} frames pile up
     * @param onRefused runs (on the executor) when the container refuses a frame outright instead of sending it
     */
    SessionOutbox(RemoteEndpoint.Async remote, Executor executor, int limit, Runnable onOverflow, Runnable onRefused) {
        this.remote = remote;
        this.executor = executor;
        this.limit = limit;
        this.onOverflow = onOverflow;
        this.onRefused = onRefused;
    }

    void send(String frame) {
        offer(frame);
    }

    void ping() {
        offer(PING);
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    private void offer(Object item) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!busy) {
                busy = true;
            } else if (queue.size() < limit) {
                queue.addLast(item);
                return;
            } else {
                closed = true;
                queue.clear();
                later(onOverflow);
                return;
            }
        }
        write(item);
    }

    private void write(Object item) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            if (item == PING) {
                remote.sendPing(ByteBuffer.allocate(0));
                next();
            } else {
                remote.sendText((String) item, this::completed);
            }
        } catch (Exception | Error e) {
            // Tyrus throws java.lang.Error for text it cannot encode. Whatever it was, it must not escape to the
            // sender (often Presence, mid-change) nor leave this outbox busy forever: the socket is closed instead.
            fail();
            later(onRefused);
        } finally {
            depth[0]--;
        }
    }

    private void completed(SendResult result) {
        if (!result.isOK()) {
            fail();
            return;
        }
        next();
    }

    private void next() {
        Object item;
        synchronized (this) {
            item = closed ? null : queue.pollFirst();
            if (item == null) {
                busy = false;
                return;
            }
        }
        if (DEPTH.get()[0] >= MAX_INLINE_DEPTH) {
            Object deferred = item;
            executor.execute(() -> write(deferred));
        } else {
            write(item);
        }
    }

    /** Runs a close on the executor, or here when the executor is gone (the server is stopping). */
    private void later(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** The connection is broken: stop sending; the container reports the close separately. */
    private void fail() {
        synchronized (this) {
            closed = true;
            busy = false;
            queue.clear();
        }
    }
}
