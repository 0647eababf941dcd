package dev.parley.signaling;

import dev.parley.rooms.Member;
import dev.parley.time.Timers;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One signaling WebSocket: its outbox, its rate limit, and the participant it currently speaks for
 * (none before {@code join}, after {@code leave}, or once a resume elsewhere has taken it over).
 */
public final class Connection implements Client {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());
    /**
     * Socket ids, from a random start: in a cluster they name sockets to other instances, and an instance restarted
     * under the same id must not reuse its previous life's ids (one could be taken for a stale client of it).
     */
    private static final AtomicLong IDS = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 48));

    final Wire wire;
    private final String userAgent;
    private final String clientAddress;
    final RateLimiter rateLimiter;
    private final SessionOutbox outbox;
    private final Executor executor;
    private volatile Member member;
    private volatile boolean detached;
    private volatile long lastSeenNanos;
    /** When the heartbeat last pinged this socket; only the heartbeat reads and writes it. */
    long lastPingNanos;
    /**
     * Whether a ping (the opening of the socket counts as one) is still unanswered, and when it was sent: no sign of
     * life since. Only the heartbeat reads and writes them.
     */
    boolean pingOutstanding = true;
    long pingSentNanos;
    volatile boolean everJoined;
    /** Set when the socket has closed. A join finishing on another thread checks it after taking its member. */
    private volatile boolean closed;
    Timers.Timer joinTimer = Timers.NONE;
    /** Names this socket to the instance holding its room, when that is another one (unique on this instance). */
    final String id = Long.toString(IDS.incrementAndGet(), 36);
    /** When a close was asked for (System.nanoTime, never 0), or 0; then its code and reason. */
    private volatile long closingSince;
    private int closeCode;
    private String closeReason;
    /** Whom per-address limits count it as (set by Connections from the raw address); null: its history address. */
    volatile String rateKey;
    /** The instance holding this socket's room when that is not this one; null otherwise. */
    volatile String owner;

    Connection(Wire wire, Executor executor, int outboxLimit, long outboxChars, RateLimiter rateLimiter, long now,
               String userAgent, String clientAddress) {
        this.wire = wire;
        this.userAgent = userAgent;
        this.clientAddress = clientAddress;
        this.executor = executor;
        this.rateLimiter = rateLimiter;
        this.lastSeenNanos = now;
        this.lastPingNanos = now;
        this.pingSentNanos = now;
        this.outbox = new SessionOutbox(wire, executor, outboxLimit, outboxChars,
                () -> closeNow(1008, "send queue overflow: the client is not reading"),
                () -> closeNow(1011, "a frame could not be sent"));
    }

    @Override
    public String userAgent() {
        return userAgent;
    }

    @Override
    public String rateKey() {
        String key = rateKey;
        return key != null ? key : clientAddress;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public Member member() {
        return member;
    }

    @Override
    public void member(Member member) {
        this.member = member;
        if (member != null) {
            everJoined = true;
            detached = false;
        }
    }

    boolean detached() {
        return detached;
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    void seen(long now) {
        lastSeenNanos = now;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    void ping() {
        outbox.ping();
    }

    @Override
    public void send(String frame) {
        outbox.send(frame);
    }

    @Override
    public void detach() {
        detached = true;
        member = null;
    }

    /**
     * Closes after the frames already queued have gone out (a kicked or closed-room client reads why before the
     * close). Closing may wait on the network, so it never runs on the caller's thread (often a room's lock holder).
     */
    @Override
    public void close(int code, String reason) {
        synchronized (this) {
            if (closingSince == 0) {
                closeCode = code;
                closeReason = reason;
                closingSince = System.nanoTime() | 1; // never 0; written last, read first (see abortStalledClose)
            }
        }
        Runnable drainThenClose = () -> outbox.drainThen(() -> closeNow(code, reason));
        try {
            executor.execute(drainThenClose);
        } catch (RejectedExecutionException e) {
            closeNow(code, reason); // the executor is shutting down with the server: close here, or never
        }
    }

    /**
     * Whether a close was asked for: from then on the socket's frames are not served (a kicked client must not act
     * again while what was queued for it drains), and a drain that hangs is cut short by the heartbeat.
     */
    boolean closing() {
        return closingSince != 0;
    }

    /**
     * Closes now, with the code asked for, when the drain before it has made no progress (no send completed) for
     * longer than {@code patience}: a slow reader still gets what was queued for it, one that stopped does not hold
     * the close forever.
     */
    boolean abortStalledClose(long now, long patience) {
        long since = closingSince;
        if (since == 0) {
            return false;
        }
        long progress = outbox.lastProgressNanos();
        if (progress != 0 && progress - since > 0) {
            since = progress;
        }
        if (now - since <= patience) {
            return false;
        }
        abort(closeCode, closeReason);
        return true;
    }

    /** Closes without sending what is queued: for a client that is gone or no longer reads. */
    void abort(int code, String reason) {
        try {
            executor.execute(() -> closeNow(code, reason));
        } catch (RejectedExecutionException e) {
            closeNow(code, reason);
        }
    }

    private void closeNow(int code, String reason) {
        outbox.close();
        try {
            if (wire.isOpen()) {
                wire.close(code, reason);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close failed", e);
        }
    }
}
