package dev.parley.signaling;

import dev.parley.time.Timers;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One signaling socket on the Servlet upgrade ({@code parley.ws.transport=servlet}): WebSocket framing (RFC 6455)
 * done by Parley over the container's non-blocking streams, instead of by the container's WebSocket stack. Payara's
 * Tyrus costs about ten times the CPU per frame that this does (README, "The relay without Tyrus").
 *
 * <p>Reading: the container calls {@link #onDataAvailable} for this socket on one thread at a time, as it calls an
 * endpoint's {@code @OnMessage}; frames go from {@link WsFrameDecoder} to {@link Connections} on that thread. Writing:
 * frames queue here, under this object's lock, and are written only while the stream says it takes more; the rest goes
 * from {@link #onWritePossible}. {@link SessionOutbox} above keeps one text frame in flight, so what queues here is that
 * frame and a few control frames; a client that stops reading fills the outbox, not this queue. No lock is held while
 * calling into Parley.
 *
 * <p>Closing: a close (Parley's or the client's) queues a close frame after what is queued; the connection ends when
 * both sides have sent theirs, or {@link #closeWait} after Parley's, whichever comes first (a client that never answers
 * does not hold the socket). Parley learns of the end once, from {@link #end}, on the executor.
 *
 * <p>Public with a public no-argument constructor: the container makes it in {@code request.upgrade}.
 */
public class WsConnection implements HttpUpgradeHandler, ReadListener, WriteListener, Wire, WsFrameDecoder.Sink {

    private static final Logger LOG = Logger.getLogger(WsConnection.class.getName());
    /** Reads land here, per container thread: a socket keeps no read buffer of its own (see WsFrameDecoder). */
    private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
    private static final byte[] PING = {(byte) 0x89, 0};

    /** One frame waiting to be written, and whom to tell once it is. */
    private record Out(byte[] frame, Consumer<Boolean> done) {
    }

    // Set by WsHandshakeServlet between upgrade() and init().
    private Connections connections;
    private Timers timers;
    private Duration closeWait;
    private int maxMessageBytes;
    private String userAgent;
    private String clientAddress;

    private WebConnection web;
    private ServletInputStream in;
    private ServletOutputStream out;
    private WsFrameDecoder decoder;
    /** Parley's side of this socket, from init() on. */
    private volatile Connections.Socket socket;

    // Guarded by this.
    private final ArrayDeque<Out> queue = new ArrayDeque<>();
    /** A pong owed to the client, sent before what is queued; a newer ping replaces it (RFC 6455 §5.5.3 allows it). */
    private byte[] pong;
    private boolean unflushed;
    /**
     * A close frame is queued (or out): nothing more is queued, and what the client still sends is not served (as the
     * container's stack delivers nothing after a close). Written under the lock; read without it by the reader.
     */
    private volatile boolean closeSent;
    private boolean closeReceived;
    private boolean ended;
    private volatile Timers.Timer closeTimer = Timers.NONE;

    void configure(Connections connections, Timers timers, Duration closeWait, int maxMessageBytes,
                   String userAgent, String clientAddress) {
        this.connections = connections;
        this.timers = timers;
        this.closeWait = closeWait;
        this.maxMessageBytes = maxMessageBytes;
        this.userAgent = userAgent;
        this.clientAddress = clientAddress;
    }

    @Override
    public void init(WebConnection connection) {
        web = connection;
        try {
            in = connection.getInputStream();
            out = connection.getOutputStream();
            decoder = new WsFrameDecoder(maxMessageBytes, this);
            out.setWriteListener(this);
            socket = connections.opened(this, userAgent, clientAddress);
            // Reader last: a container may call onDataAvailable from inside setReadListener.
            in.setReadListener(this);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "An upgraded connection failed to start", e);
            end();
        }
    }

    // ---- reading

    @Override
    public void onDataAvailable() {
        byte[] buffer = READ_BUFFER.get();
        try {
            // Read until isReady() says false: only then does the container call again when more arrives. After a
            // close, reading goes on (and finds nothing to do): a socket closed with unread bytes is reset, and the
            // client may lose the close frame it was about to read.
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    end();
                    return;
                }
                decoder.feed(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "A read failed", e);
            end();
        }
    }

    @Override
    public void onAllDataRead() {
        end(); // the client closed its side of TCP (without a close frame, or after one)
    }

    @Override
    public void onError(Throwable error) {
        LOG.log(Level.FINE, "An upgraded connection failed", error);
        end(); // a read or write failed: ReadListener and WriteListener share this method
    }

    @Override
    public void text(String message) {
        Connections.Socket s = socket;
        if (s != null && !closeSent) {
            s.text(message);
        }
    }

    @Override
    public void binary() {
        Connections.Socket s = socket;
        if (s != null && !closeSent) {
            s.binary();
        }
    }

    @Override
    public void ping(byte[] payload) {
        synchronized (this) {
            if (closeSent || ended) {
                return;
            }
            pong = Rfc6455.frame(0x8A, payload, 0, payload.length);
        }
        drain();
    }

    @Override
    public void pong() {
        Connections.Socket s = socket;
        if (s != null) {
            s.pong();
        }
    }

    @Override
    public void closed(int code, String reason) {
        synchronized (this) {
            closeReceived = true;
        }
        // Echo the client's code (none when it gave none); if Parley's close was already queued, that one answers.
        queueClose(code == 1005 ? new byte[0] : Rfc6455.closeBody(code, ""));
        drain();
    }

    @Override
    public void failed(int code, String reason) {
        LOG.fine(() -> "Closing a client's connection with " + code + ": " + reason);
        close(code, reason);
    }

    // ---- the wire

    @Override
    public void sendText(String text, Consumer<Boolean> done) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = Rfc6455.frame(0x81, payload, 0, payload.length);
        boolean refused;
        synchronized (this) {
            refused = closeSent || ended;
            if (!refused) {
                queue.addLast(new Out(frame, done));
            }
        }
        if (refused) {
            done.accept(false);
            return;
        }
        drain();
    }

    @Override
    public void sendPing() {
        synchronized (this) {
            if (closeSent || ended) {
                return;
            }
            queue.addLast(new Out(PING, null));
        }
        drain();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closeSent && !ended;
    }

    @Override
    public void close(int code, String reason) {
        if (queueClose(Rfc6455.closeBody(code, reason))) {
            closeTimer = timers.schedule(closeWait, this::end);
        }
        drain();
    }

    /** Queues a close frame with this body after what is queued, unless one is queued already; true if queued. */
    private boolean queueClose(byte[] body) {
        synchronized (this) {
            if (closeSent || ended) {
                return false;
            }
            closeSent = true;
            queue.addLast(new Out(Rfc6455.frame(0x88, body, 0, body.length), null));
            return true;
        }
    }

    // ---- writing

    @Override
    public void onWritePossible() {
        drain();
    }

    /**
     * Writes what the stream takes now, then tells the senders of what went out, outside the lock (a sender's next
     * frame comes straight back here). Ends the connection when a write failed, or when the close handshake is done.
     */
    private void drain() {
        List<Consumer<Boolean>> written = new ArrayList<>(1);
        boolean failed = false;
        boolean finished;
        synchronized (this) {
            try {
                finished = drainLocked(written);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "A write failed", e);
                failed = true;
                finished = true;
            }
        }
        for (Consumer<Boolean> done : written) {
            done.accept(true);
        }
        if (finished) {
            end();
        }
    }

    /**
     * Writes only while {@code isReady()} says the stream takes more, never after it said false (the container then
     * calls onWritePossible once it can), and flushes only while still ready, for the same reason. True: end now.
     */
    private boolean drainLocked(List<Consumer<Boolean>> written) throws IOException {
        if (ended || out == null) {
            return false;
        }
        if (pong != null) {
            if (!out.isReady()) {
                return false;
            }
            out.write(pong);
            pong = null;
            unflushed = true;
        }
        while (!queue.isEmpty()) {
            if (!out.isReady()) {
                return false;
            }
            Out next = queue.pollFirst();
            out.write(next.frame);
            unflushed = true;
            if (next.done != null) {
                written.add(next.done);
            }
        }
        if (unflushed) {
            if (!out.isReady()) {
                return false;
            }
            out.flush();
            unflushed = false;
        }
        // All is written and flushed; a close frame is always the last queued, so if one was, it is out.
        return closeSent && closeReceived && out.isReady();
    }

    // ---- ending

    @Override
    public void destroy() {
        end(); // the container ended the connection (or is ending it for end())
    }

    /**
     * Ends the connection, once: frames not yet written are dropped (their senders told), the socket is closed, and
     * Parley is told on the executor, never on this thread, which may be a sender's holding a room's lock.
     */
    private void end() {
        List<Consumer<Boolean>> dropped = new ArrayList<>();
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            closeSent = true;
            for (Out o : queue) {
                if (o.done != null) {
                    dropped.add(o.done);
                }
            }
            queue.clear();
            pong = null;
        }
        closeTimer.cancel();
        for (Consumer<Boolean> done : dropped) {
            done.accept(false);
        }
        try {
            if (web != null) {
                web.close();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing an upgraded connection failed", e);
        }
        Connections.Socket s = socket;
        if (s != null) {
            s.closedLater();
        }
    }
}
