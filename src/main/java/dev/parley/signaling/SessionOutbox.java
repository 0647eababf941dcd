package dev.parley.signaling;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One session's outgoing frames: a bounded queue with at most one send in flight, so sends to one session
 * are serialized (the container forbids concurrent sends) while sends to different sessions never wait on
 * each other. A receiver that stops reading fills only its own queue and is then dropped: at {@code limit} frames,
 * or at {@code maxChars} characters queued, whichever comes first (a thousand large offers would hold tens of MB).
 */
final class SessionOutbox {

    /** Stands in the queue for a heartbeat ping, so pings are serialized with text frames too. */
    private static final Object PING = new Object();
    /** Completions that arrive on the sending thread continue inline only this deep, then on the executor. */
    private static final int MAX_INLINE_DEPTH = 8;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final Wire wire;
    private final Executor executor;
    private final int limit;
    private final long maxChars;
    /** The characters of the text frames queued (not the one in flight). */
    private long queuedChars;
    private final Runnable onOverflow;
    private final Runnable onRefused;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The application's context class loader, for the close handlers run by {@link #later}. */
    private final ClassLoader appLoader = Thread.currentThread().getContextClassLoader();
    private boolean busy;
    private boolean closed;
    /**
     * When a send last completed while the queue drained before a close (System.nanoTime; 0 before): how a drain that
     * is slow is told from one that is stuck. Kept only then, so that no ordinary send pays for a clock read.
     */
    private volatile long lastProgressNanos;
    /** Set while the queue drains before a close: nothing new is accepted, what is queued still goes out. */
    private Runnable afterDrain;

    /**
     * @param onOverflow runs (on the executor) when the receiver has let {@code limit} frames, or {@code maxChars}
     *                   characters of them, pile up
     * @param onRefused runs (on the executor) when the container refuses a frame outright instead of sending it
     */
    SessionOutbox(Wire wire, Executor executor, int limit, long maxChars, Runnable onOverflow,
                  Runnable onRefused) {
        this.wire = wire;
        this.executor = executor;
        this.limit = limit;
        this.maxChars = maxChars;
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
            queuedChars = 0;
            afterDrain = null;
        }
    }

    /**
     * Sends what is already queued, then runs {@code closer} (on the executor); frames offered meanwhile are
     * dropped. A second call does not wait: a close asked for twice (the heartbeat giving up on a receiver that
     * stopped reading mid-drain) happens at once.
     */
    void drainThen(Runnable closer) {
        synchronized (this) {
            if (!closed && busy && afterDrain == null) {
                afterDrain = closer;
                return;
            }
            closed = true;
            queue.clear();
            queuedChars = 0;
            afterDrain = null;
        }
        closer.run();
    }

    private void offer(Object item) {
        synchronized (this) {
            if (closed || afterDrain != null) {
                return;
            }
            int chars = item instanceof String text ? text.length() : 0;
            if (!busy) {
                busy = true;
            } else if (queue.size() < limit && queuedChars + chars <= maxChars) {
                queue.addLast(item);
                queuedChars += chars;
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
                wire.sendPing();
                next();
            } else {
                wire.sendText((String) item, this::completed);
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

    private void completed(boolean sent) {
        if (!sent) {
            fail();
            return;
        }
        next();
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    private void next() {
        Object item;
        Runnable drained = null;
        synchronized (this) {
            if (afterDrain != null) {
                lastProgressNanos = System.nanoTime(); // a send completed (or a ping went out) while draining
            }
            item = closed ? null : queue.pollFirst();
            if (item instanceof String text) {
                queuedChars -= text.length();
            }
            if (item == null) {
                busy = false;
                if (afterDrain != null) {
                    drained = afterDrain;
                    afterDrain = null;
                    closed = true;
                }
            }
        }
        if (item == null) {
            if (drained != null) {
                later(drained);
            }
            return;
        }
        if (DEPTH.get()[0] >= MAX_INLINE_DEPTH) {
            Object deferred = item;
            executor.execute(() -> write(deferred));
        } else {
            write(item);
        }
    }

    /**
     * Runs a close on the executor, or here when the executor is gone (the server is stopping), with the application's
     * context class loader (a completion may call this from within a send, under another: see {@link SessionWire}).
     */
    private void later(Runnable task) {
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        thread.setContextClassLoader(appLoader);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        } finally {
            thread.setContextClassLoader(loader);
        }
    }

    /** The connection is broken: stop sending; the container reports the close separately. */
    private void fail() {
        Runnable drained;
        synchronized (this) {
            closed = true;
            busy = false;
            queue.clear();
            drained = afterDrain;
            afterDrain = null;
        }
        if (drained != null) {
            later(drained);
        }
    }
}
