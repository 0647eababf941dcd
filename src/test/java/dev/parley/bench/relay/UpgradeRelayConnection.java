package dev.parley.bench.relay;

import dev.parley.signaling.Rfc6455;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One socket of {@link UpgradeRelayServlet}: RFC 6455 server-side framing over a {@link WebConnection}, non-blocking
 * both ways. Reads run on the container's callback thread ({@link #onDataAvailable}, never concurrently with itself);
 * writes come from that thread, the partner's and {@link #onWritePossible}, so they go through a per-connection outbox
 * drained under this object's lock. No lock is held while taking another connection's, so no two can deadlock.
 *
 * <p>Public, with the implicit public no-argument constructor: the container instantiates it in
 * {@code request.upgrade(...)}. No anonymous classes: the benchmark packs classes (and nested ones) by name into the WAR.
 */
public class UpgradeRelayConnection implements HttpUpgradeHandler, ReadListener, WriteListener {

    /** Same limit as the Tyrus relay's and Parley's default: a data message's payload, fragments joined. */
    private static final int MAX_MESSAGE = 65536;
    /** Enough for an offer (~3 KB) in one frame; grown up to one whole frame (header + MAX_MESSAGE) only when needed. */
    private static final int INITIAL_BUFFER = 4096;
    private static final byte[] JOINED = text("{\"type\":\"joined\"}");
    private static final byte[] PEER_JOINED = text("{\"type\":\"peer-joined\"}");
    private static final ConcurrentHashMap<String, UpgradeRelayConnection> WAITING = new ConcurrentHashMap<>();

    /** Set by the servlet between {@code upgrade()} and {@code init()}. */
    volatile String room = "";
    private WebConnection connection;
    private ServletInputStream in;
    private ServletOutputStream out;
    private volatile UpgradeRelayConnection peer;

    /**
     * With {@code -Dbench.relay.pingMs=N} on the server, every socket is pinged every N ms, as Parley's heartbeat does
     * (the contract's 5 s): the sockets are spread over {@value #PING_SLOTS} slots and a tick every N/{@value
     * #PING_SLOTS} ms pings one slot, so the pings go out evenly. Pongs are read and dropped. Off (0) by default.
     */
    private static final long PING_MS = Long.getLong("bench.relay.pingMs", 0);
    private static final int PING_SLOTS = 50;
    private static final byte[] PING = {(byte) 0x89, 0};
    private static final List<Set<UpgradeRelayConnection>> SLOTS = pingSlots();
    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();
    private Set<UpgradeRelayConnection> slot;

    private static List<Set<UpgradeRelayConnection>> pingSlots() {
        if (PING_MS <= 0) {
            return List.of();
        }
        List<Set<UpgradeRelayConnection>> slots = new ArrayList<>();
        for (int i = 0; i < PING_SLOTS; i++) {
            slots.add(ConcurrentHashMap.newKeySet());
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-relay-pings");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(1, PING_MS / PING_SLOTS);
        AtomicInteger due = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            for (UpgradeRelayConnection c : slots.get(Math.floorMod(due.getAndIncrement(), PING_SLOTS))) {
                c.send(PING);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        return slots;
    }

    // Read side, touched only by the read callback thread: unparsed bytes are buf[0, end).
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int end;
    /** Opcode of the fragmented data message in progress (1 text, 2 binary), 0 when none; its size so far. */
    private int messageOpcode;
    private int messageSize;
    private ByteArrayOutputStream fragments;

    // Write side, guarded by 'this'.
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private boolean unflushed;
    /** A close frame is queued: nothing more is sent or read; the connection closes once the outbox is flushed. */
    private volatile boolean closing;
    private boolean closed;

    @Override
    public void init(WebConnection wc) {
        connection = wc;
        try {
            in = wc.getInputStream();
            out = wc.getOutputStream();
            // Writer first: the partner can reach this socket (and write to it) as soon as it is in WAITING.
            out.setWriteListener(this);
            UpgradeRelayConnection[] first = new UpgradeRelayConnection[1];
            WAITING.compute(room, (r, waiting) -> {
                if (waiting == null || waiting.closing) {
                    return this;
                }
                first[0] = waiting;
                return null;
            });
            if (first[0] != null) {
                first[0].peer = this;
                peer = first[0];
            }
            // Only now, so that a partner arriving on the heels of this 'joined' finds this socket waiting.
            send(JOINED); // frames are never changed once built, so one can be queued to many sockets
            if (first[0] != null) {
                first[0].send(PEER_JOINED);
            }
            if (!SLOTS.isEmpty()) {
                slot = SLOTS.get(Math.floorMod(NEXT_SLOT.getAndIncrement(), PING_SLOTS));
                slot.add(this);
            }
            // Reader last: some containers call onDataAvailable from inside setReadListener.
            in.setReadListener(this);
        } catch (IOException | RuntimeException e) {
            closeNow();
        }
    }

    // ---- reading

    @Override
    public void onDataAvailable() {
        try {
            // Read until isReady() says false: only then will the container call back when more arrives.
            while (!closing && in.isReady()) {
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) { // the client went away without a close frame
                    closeNow();
                    return;
                }
                end += n;
                parse();
            }
        } catch (IOException | RuntimeException e) {
            closeNow();
        }
    }

    @Override
    public void onAllDataRead() {
        closeNow(); // EOF: the client half-closed or vanished
    }

    @Override
    public void onError(Throwable t) {
        closeNow(); // a read or write failed (ReadListener and WriteListener share this method)
    }

    /**
     * Handles every whole frame in buf and keeps a partial one, moved to the front, for the next read (buf then grows
     * to that frame's size if it must: at most 14 + MAX_MESSAGE bytes). Never more than one frame's bytes: there is
     * always room to read into.
     */
    private void parse() {
        int pos = 0;
        int need = 0;
        while (!closing && end - pos >= 2) {
            int b0 = buf[pos] & 0xFF;
            int b1 = buf[pos + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean control = (opcode & 0x08) != 0;
            int lenCode = b1 & 0x7F;
            if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0 // RSV bits without an extension; an unmasked client frame
                    || (opcode > 2 && opcode < 8) || opcode > 10 // reserved opcodes
                    || (control && (!fin || lenCode > 125)) // control frames: never fragmented, payload <= 125
                    || (opcode == 0 && messageOpcode == 0) // continuation of nothing
                    || ((opcode == 1 || opcode == 2) && messageOpcode != 0)) { // new message inside a fragmented one
                fail(1002);
                return;
            }
            int header = 2 + (lenCode == 126 ? 2 : lenCode == 127 ? 8 : 0) + 4; // + 4: the masking key
            if (end - pos < header) {
                break;
            }
            long len = lenCode < 126 ? lenCode : 0;
            for (int i = 2; i < header - 4; i++) { // 16- or 64-bit length, network byte order
                len = len << 8 | (buf[pos + i] & 0xFF);
            }
            if (len < 0) { // the 64-bit length's most significant bit must be 0
                fail(1002);
                return;
            }
            // Binary messages too: ignored, but each frame still has to fit in buf.
            if (!control && len > MAX_MESSAGE - (opcode == 0 ? messageSize : 0)) {
                fail(1009);
                return;
            }
            int size = header + (int) len;
            if (end - pos < size) {
                need = size; // the rest of this frame comes with a later read
                break;
            }
            int payload = pos + header;
            for (int i = 0; i < len; i++) { // unmask in place
                buf[payload + i] ^= buf[payload - 4 + (i & 3)];
            }
            onFrame(fin, opcode, payload, (int) len);
            pos += size;
        }
        if (closing) {
            return; // nothing more is read once a close frame is queued
        }
        System.arraycopy(buf, pos, buf, 0, end - pos);
        end -= pos;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, need);
        }
    }

    /** One whole, unmasked frame: its payload is buf[off, off + len), valid until the next read. */
    private void onFrame(boolean fin, int opcode, int off, int len) {
        switch (opcode) {
            case 0x1, 0x2 -> {
                if (fin) {
                    if (opcode == 0x1) {
                        forward(buf, off, len);
                    } // binary: ignored
                    return;
                }
                messageOpcode = opcode;
                messageSize = len;
                fragments = opcode == 0x1 ? new ByteArrayOutputStream(Math.max(len, 256)) : null; // binary: not kept
                if (fragments != null) {
                    fragments.write(buf, off, len);
                }
            }
            case 0x0 -> {
                messageSize += len;
                if (fragments != null) {
                    fragments.write(buf, off, len);
                }
                if (fin) {
                    if (fragments != null) {
                        byte[] message = fragments.toByteArray();
                        forward(message, 0, message.length);
                    }
                    messageOpcode = 0;
                    messageSize = 0;
                    fragments = null;
                }
            }
            case 0x8 -> {
                if (len == 1) { // a close body is empty or starts with a 2-byte status code
                    fail(1002);
                } else {
                    closeWith(Rfc6455.frame(0x88, buf, off, Math.min(len, 2))); // echo the status code, if any
                }
            }
            case 0x9 -> send(Rfc6455.frame(0x8A, buf, off, len)); // pong with the ping's payload
            default -> {
                // 0xA pong: nothing to do
            }
        }
    }

    /** To the partner, unread, as one unmasked text frame (no UTF-8 check: a relay does not need one). */
    private void forward(byte[] b, int off, int len) {
        UpgradeRelayConnection p = peer;
        if (p != null) {
            p.send(Rfc6455.frame(0x81, b, off, len));
        }
    }

    private static byte[] text(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return Rfc6455.frame(0x81, b, 0, b.length);
    }

    // ---- writing

    /** Queues a frame and writes what the stream takes now; the rest goes out from onWritePossible. */
    void send(byte[] frame) {
        synchronized (this) {
            if (closing || closed) {
                return; // like the Tyrus relay's isOpen() check: frames for a closed socket are dropped
            }
            outbox.addLast(frame);
        }
        drain();
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    /** Drains the outbox; hangs up, outside the lock (the container may call back into destroy()), when due. */
    private void drain() {
        if (drainLocked()) {
            closeNow();
        }
    }

    /**
     * Writes while {@code isReady()} says the stream takes more, never after it said false (the container then calls
     * onWritePossible once it can); flushes a batch only while still ready, for the same reason. A flush left pending
     * (isReady false right after the last write) is done by the next onWritePossible. True: close the connection now
     * (a write failed, or the queued close frame is out).
     */
    private synchronized boolean drainLocked() {
        if (closed) {
            return false;
        }
        try {
            while (!outbox.isEmpty()) {
                if (!out.isReady()) {
                    return false;
                }
                out.write(outbox.pollFirst());
                unflushed = true;
            }
            if (unflushed) {
                if (!out.isReady()) {
                    return false;
                }
                out.flush();
                unflushed = false;
            }
            return closing && out.isReady(); // closing: the close frame was the last one queued, and it is out
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    // ---- closing

    /** Close with a status code (1002 protocol error, 1009 too big); the connection ends once it is flushed. */
    private void fail(int code) {
        closeWith(Rfc6455.frame(0x88, new byte[] {(byte) (code >>> 8), (byte) code}, 0, 2));
    }

    /** Queues the close frame after what is already queued, stops reading and leaves the room. */
    private void closeWith(byte[] closeFrame) {
        synchronized (this) {
            if (closing || closed) {
                return;
            }
            closing = true;
            outbox.addLast(closeFrame);
        }
        release();
        drain();
    }

    /** Ends the connection now (idempotent). On Payara, WebConnection.close() calls {@link #destroy} itself. */
    private void closeNow() {
        if (shutDown()) {
            try {
                connection.close();
            } catch (Exception e) {
                // already gone
            }
        }
    }

    /** The container closed the connection (or is closing it for closeNow()). */
    @Override
    public void destroy() {
        shutDown();
    }

    /** Nothing more goes out or comes in; leaves the room. True the first time. */
    private boolean shutDown() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            closing = true;
            outbox.clear();
        }
        release();
        return connection != null;
    }

    /** Out of the waiting map; the partner is unpaired but stays open, as with the Tyrus relay. */
    private void release() {
        WAITING.remove(room, this);
        if (slot != null) {
            slot.remove(this);
        }
        UpgradeRelayConnection p = peer;
        peer = null;
        if (p != null && p.peer == this) {
            p.peer = null;
        }
    }
}
