package dev.parley.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A lean load generator for WebSocket signaling servers: thousands of client sockets on a few NIO selector threads
 * (one by default), each socket owned by one thread, so nothing is locked on the hot path. It speaks just enough
 * RFC 6455 for text signaling (masked client frames, pings answered, fragments joined) and knows three servers
 * through {@link Protocol}: Parley, the bare relay and PeerJS.
 *
 * <p>Every relayed message carries its send time ({@code System.nanoTime()} of this JVM, taken just before the
 * frame is written) in a marker {@code bench:K<19 digits>} inside the SDP or candidate text, so the receiving
 * socket measures one-way latency through the server without a clock of the server's.
 */
final class WsLoad implements AutoCloseable {

    /** Marker kinds: offer, answer, and the eight candidates of a negotiation ('0'..'7'). */
    static final byte OFFER = 'o';
    static final byte ANSWER = 'a';
    static final byte[] MARK = "bench:".getBytes(StandardCharsets.US_ASCII);
    static final String TS_HOLE = "#".repeat(19);
    static final String DST_HOLE = "@".repeat(8);

    /** What differs between servers. Frames are templates with the marker's time and (PeerJS) the addressee left as holes. */
    abstract static class Protocol {
        final String name;
        final boolean hasPeerJoined;
        private final Negotiation negotiation;

        Protocol(String name, boolean hasPeerJoined, Negotiation negotiation) {
            this.name = name;
            this.hasPeerJoined = hasPeerJoined;
            this.negotiation = negotiation;
        }

        /** The HTTP request target of a socket's handshake. */
        abstract String target(Pair pair, boolean second);

        /** The frame sent after the handshake to enter the room, or null when the handshake itself joins. */
        byte[] join(Pair pair) {
            return null;
        }

        /** A frame every 5 s per socket (the client's heartbeat), or null when the server pings instead. */
        byte[] heartbeat() {
            return null;
        }

        final Template offer() {
            return negotiation.offer();
        }

        final Template answer() {
            return negotiation.answer();
        }

        final Template candidate(int i) {
            return negotiation.candidates()[i];
        }

        boolean isReady(String type) {
            return type.equals("joined") || type.equals("OPEN");
        }

        boolean isError(String type) {
            return type.equals("error") || type.equals("ERROR") || type.equals("ID-TAKEN") || type.equals("EXPIRE");
        }
    }

    /** The frames of one negotiation in a protocol's words: an offer, an answer and 8 candidates. */
    record Negotiation(Template offer, Template answer, Template[] candidates) {
    }

    /** A client frame's text with holes for the send time and the addressee. */
    static final class Template {
        final byte[] bytes;
        final int tsAt;
        final int dstAt;

        Template(String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            tsAt = text.indexOf(TS_HOLE);
            dstAt = text.indexOf(DST_HOLE);
            if (tsAt < 0 || !text.isEmpty() && !isAscii(text)) {
                throw new IllegalArgumentException("template without a time hole, or not ASCII");
            }
        }

        private static boolean isAscii(String s) {
            return s.chars().allMatch(c -> c < 128);
        }
    }

    /** Two sockets that meet in one room (or address each other by id, with PeerJS). */
    static final class Pair {
        final int index;
        final String idA;
        final String idB;
        final Conn a;
        final Conn b;
        Loop loop;
        // connect phase
        long startNanos;
        long joinStartNanos;
        boolean peerJoined;
        boolean finished;
        boolean failed;
        // traffic phases
        int step;
        boolean setupDone;
        boolean roundOpen;

        Pair(int index) {
            this.index = index;
            this.idA = String.format("p%06da", index);
            this.idB = String.format("p%06db", index);
            this.a = new Conn(this, false);
            this.b = new Conn(this, true);
        }

        String room() {
            return "bench-" + index;
        }
    }

    static final int NEW = 0;
    static final int CONNECTING = 1;
    static final int HANDSHAKE = 2;
    static final int OPEN = 3;
    static final int CLOSED = 4;

    static final class Conn {
        final Pair pair;
        final boolean second;
        SocketChannel channel;
        SelectionKey key;
        int state = NEW;
        boolean ready;
        boolean failed;
        long connectStart;
        ByteBuffer in = ByteBuffer.allocate(8192);
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(4);
        ByteArrayOutputStream fragments;

        Conn(Pair pair, boolean second) {
            this.pair = pair;
            this.second = second;
        }

        Conn peer() {
            return second ? pair.a : pair.b;
        }

        byte[] peerId() {
            return (second ? pair.idA : pair.idB).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Latencies in nanoseconds, unsorted until asked. */
    static final class Samples {
        long[] values = new long[1024];
        int size;
        static final int CAP = 20_000_000;

        void add(long v) {
            if (size == values.length) {
                if (size >= CAP) {
                    return;
                }
                values = Arrays.copyOf(values, Math.min(CAP, size * 2));
            }
            values[size++] = v;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        /** Percentile p (0..100) in milliseconds, NaN when empty. Sorts in place. */
        double ms(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            Arrays.sort(values, 0, size);
            int i = (int) Math.ceil(p / 100.0 * size) - 1;
            return values[Math.max(0, Math.min(size - 1, i))] / 1e6;
        }
    }

    enum Mode { IDLE, CONNECT, SETUP, OPEN_LOOP, CLOSED_LOOP }

    /** Counters of one phase, per loop; summed by the caller. */
    static final class Stats {
        long connectsOk;
        long connectsFailed;
        long pairsDone;
        long pairsFailed;
        long sent;
        long received;
        long receivedInWindow;
        long errors;
        long dropped;
        long setups;
        final Samples joinToPeerJoined = new Samples();
        final Samples connectToReady = new Samples();
        final Samples relay = new Samples();
        final List<String> errorTexts = new ArrayList<>();

        void add(Stats o) {
            connectsOk += o.connectsOk;
            connectsFailed += o.connectsFailed;
            pairsDone += o.pairsDone;
            pairsFailed += o.pairsFailed;
            sent += o.sent;
            received += o.received;
            receivedInWindow += o.receivedInWindow;
            errors += o.errors;
            dropped += o.dropped;
            setups += o.setups;
            joinToPeerJoined.addAll(o.joinToPeerJoined);
            connectToReady.addAll(o.connectToReady);
            relay.addAll(o.relay);
            for (String t : o.errorTexts) {
                if (errorTexts.size() < 5) {
                    errorTexts.add(t);
                }
            }
        }
    }

    private final Protocol protocol;
    private final InetSocketAddress server;
    private final String host;
    private final Loop[] loops;

    WsLoad(Protocol protocol, InetSocketAddress server, int threads) throws IOException {
        this.protocol = protocol;
        this.server = server;
        this.host = server.getHostString() + ":" + server.getPort();
        this.loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(i);
            loops[i].start();
        }
    }

    /** Runs {@code task} on every loop thread and waits for all of them. */
    private void onEveryLoop(Consumer<Loop> task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(loops.length);
        for (Loop loop : loops) {
            loop.post(() -> {
                try {
                    task.accept(loop);
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a load loop did not answer within 60 s");
        }
    }

    private Stats collect() throws InterruptedException {
        Stats total = new Stats();
        onEveryLoop(loop -> {
            synchronized (total) {
                total.add(loop.stats);
            }
        });
        return total;
    }

    private void reset(Mode mode) throws InterruptedException {
        onEveryLoop(loop -> {
            loop.stats = new Stats();
            loop.mode = mode;
        });
    }

    /**
     * Connects the pairs, {@code window} pairs at a time in all, each pair's first socket joined before its second
     * connects. Returns when every pair is done or failed, or at the deadline (pairs not finished count as failed).
     */
    Stats connect(List<Pair> pairs, int window, long deadlineNanos) throws InterruptedException {
        reset(Mode.CONNECT);
        List<List<Pair>> parts = split(pairs);
        int perLoop = Math.max(1, window / loops.length);
        onEveryLoop(loop -> {
            for (Pair p : parts.get(loop.index)) {
                p.loop = loop;
                loop.pending.add(p);
                loop.all.add(p);
            }
            loop.window = perLoop;
            loop.topUp();
        });
        while (System.nanoTime() < deadlineNanos) {
            Stats s = collect();
            if (s.pairsDone + s.pairsFailed >= pairs.size()) {
                break;
            }
            Thread.sleep(20);
        }
        onEveryLoop(loop -> {
            int shown = 0;
            for (Pair p : parts.get(loop.index)) {
                if (!p.finished && !p.failed && shown++ < 3) {
                    System.err.printf("unfinished pair %d: a %d/%s b %d/%s peerJoined %s%n", p.index, p.a.state, p.a.ready,
                            p.b.state, p.b.ready, p.peerJoined);
                }
            }
            for (Pair p : loop.pending) {
                p.failed = true;
                loop.stats.pairsFailed++;
            }
            loop.pending.clear();
            loop.mode = Mode.IDLE;
        });
        Stats s = collect();
        reset(Mode.IDLE);
        return s;
    }

    /** One offer/answer per pair so that later offers are renegotiations of an active call (Parley's rules). */
    Stats setupCalls(List<Pair> pairs, long deadlineNanos) throws InterruptedException {
        reset(Mode.SETUP);
        List<List<Pair>> parts = split(pairs);
        // A window of calls at a time: thousands of offers in the same millisecond would be a burst no real
        // clients make (and Payara's HTTP worker queue, 4,096 by default, drops connections beyond it).
        onEveryLoop(loop -> {
            loop.setupQueue.clear();
            for (Pair p : parts.get(loop.index)) {
                if (usable(p) && !p.setupDone) {
                    loop.setupQueue.add(p);
                }
            }
            for (int i = 0; i < Math.max(1, 100 / loops.length) && !loop.setupQueue.isEmpty(); i++) {
                loop.nextSetup();
            }
        });
        long usable = pairs.stream().filter(WsLoad::usable).filter(p -> !p.setupDone).count();
        while (System.nanoTime() < deadlineNanos && collect().setups < usable) {
            Thread.sleep(20);
        }
        Stats s = collect();
        reset(Mode.IDLE);
        return s;
    }

    /**
     * Open loop: {@code rate} messages per second in all, round-robin over the pairs, each pair stepping through a
     * negotiation (offer, answer, four candidates each way), whatever the answers. Latency is recorded for messages
     * sent within the window after the warm-up.
     */
    Stats openLoop(List<Pair> pairs, double rate, long warmupNanos, long windowNanos, Edges edges) throws InterruptedException {
        reset(Mode.IDLE);
        List<List<Pair>> parts = split(pairs);
        long start = System.nanoTime();
        long windowStart = start + warmupNanos;
        long windowEnd = windowStart + windowNanos;
        onEveryLoop(loop -> {
            loop.traffic.clear();
            for (Pair p : parts.get(loop.index)) {
                if (usable(p)) {
                    loop.traffic.add(p);
                }
            }
            loop.interval = (long) (1e9 / (rate / loops.length));
            loop.nextSend = System.nanoTime();
            loop.windowStart = windowStart;
            loop.windowEnd = windowEnd;
            loop.mode = Mode.OPEN_LOOP;
        });
        window(windowStart, windowEnd, edges);
        onEveryLoop(loop -> loop.mode = Mode.IDLE);
        Thread.sleep(2000); // stragglers
        Stats s = collect();
        reset(Mode.IDLE);
        return s;
    }

    /**
     * Closed loop: each pair negotiates again as soon as the last one finished. A sends an offer and four
     * candidates; B answers the offer and sends four candidates; B's fourth candidate reaching A starts the next.
     */
    Stats closedLoop(List<Pair> pairs, long warmupNanos, long windowNanos, Edges edges) throws InterruptedException {
        reset(Mode.IDLE);
        List<List<Pair>> parts = split(pairs);
        long windowStart = System.nanoTime() + warmupNanos;
        long windowEnd = windowStart + windowNanos;
        onEveryLoop(loop -> {
            loop.windowStart = windowStart;
            loop.windowEnd = windowEnd;
            loop.mode = Mode.CLOSED_LOOP;
            for (Pair p : parts.get(loop.index)) {
                if (usable(p)) {
                    loop.startRound(p);
                }
            }
        });
        window(windowStart, windowEnd, edges);
        onEveryLoop(loop -> loop.mode = Mode.IDLE);
        Thread.sleep(2000);
        Stats s = collect();
        onEveryLoop(loop -> {
            for (Pair p : parts.get(loop.index)) {
                p.roundOpen = false;
            }
        });
        reset(Mode.IDLE);
        return s;
    }

    /** Called by the caller's thread at the measurement window's edges (to sample CPU time, say). */
    interface Edges {
        void start();

        void end();

        Edges NONE = new Edges() {
            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }

    private static void window(long start, long end, Edges edges) throws InterruptedException {
        sleepUntil(start);
        edges.start();
        sleepUntil(end);
        edges.end();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Sockets open and joined now, and sockets that closed unexpectedly since they were ready. */
    long[] held() throws InterruptedException {
        long[] r = new long[2];
        onEveryLoop(loop -> {
            long open = 0;
            for (Pair p : loop.all) {
                open += (p.a.state == OPEN && p.a.ready ? 1 : 0) + (p.b.state == OPEN && p.b.ready ? 1 : 0);
            }
            synchronized (r) {
                r[0] += open;
                r[1] += loop.droppedTotal;
            }
        });
        return r;
    }

    /** Why sockets that were ready got closed by the server (close code and reason, or the I/O error), with counts. */
    String dropReasons() throws InterruptedException {
        java.util.Map<String, Integer> all = new java.util.TreeMap<>();
        onEveryLoop(loop -> {
            synchronized (all) {
                loop.dropReasons.forEach((k, v) -> all.merge(k, v, Integer::sum));
            }
        });
        return all.toString();
    }

    /** Closes the given pairs' sockets (a TCP close without a close handshake: a client that vanished). */
    void closePairs(List<Pair> pairs) throws InterruptedException {
        onEveryLoop(loop -> {
            for (Pair p : pairs) {
                if (p.loop == loop) {
                    loop.closeQuietly(p.a);
                    loop.closeQuietly(p.b);
                }
                loop.all.remove(p);
            }
        });
    }

    static boolean usable(Pair p) {
        return p.finished && !p.failed && p.a.state == OPEN && p.b.state == OPEN;
    }

    private List<List<Pair>> split(List<Pair> pairs) {
        List<List<Pair>> parts = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            parts.add(new ArrayList<>());
        }
        for (Pair p : pairs) {
            if (p.loop != null) {
                parts.get(p.loop.index).add(p);
            } else {
                parts.get(Math.floorMod(p.index, loops.length)).add(p);
            }
        }
        return parts;
    }

    @Override
    public void close() throws InterruptedException {
        for (Loop loop : loops) {
            loop.post(() -> {
                for (Pair p : loop.all) {
                    loop.closeQuietly(p.a);
                    loop.closeQuietly(p.b);
                }
                loop.running = false;
            });
        }
        for (Loop loop : loops) {
            loop.join(10_000);
        }
    }

    /** One selector thread and the sockets it owns. */
    private final class Loop extends Thread {
        final int index;
        final Selector selector;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ArrayDeque<Pair> pending = new ArrayDeque<>();
        final List<Pair> all = new ArrayList<>();
        final List<Pair> traffic = new ArrayList<>();
        final ArrayDeque<Pair> setupQueue = new ArrayDeque<>();
        volatile boolean running = true;
        Mode mode = Mode.IDLE;
        Stats stats = new Stats();
        long droppedTotal;
        final java.util.Map<String, Integer> dropReasons = new java.util.TreeMap<>();
        int window;
        int inProgress;
        // open loop
        long interval;
        long nextSend;
        int cursor;
        long windowStart;
        long windowEnd;
        // heartbeats (PeerJS)
        final long heartbeatEpoch = System.nanoTime();
        int heartbeatCursor;
        long heartbeatRound;
        final ByteBuffer pong = ByteBuffer.allocate(0);

        Loop(int index) throws IOException {
            super("ws-load-" + index);
            this.index = index;
            this.selector = Selector.open();
            setDaemon(true);
        }

        void post(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    long timeout = 50;
                    if (mode == Mode.OPEN_LOOP) {
                        // Sleep at least 1 ms rather than spin: sends due meanwhile go out together, each stamped
                        // with its real send time, so the schedule's jitter never counts as server latency.
                        long remaining = nextSend - System.nanoTime();
                        timeout = remaining <= 0 ? 0 : Math.max(1, remaining / 1_000_000);
                    }
                    if (timeout == 0) {
                        selector.selectNow();
                    } else {
                        selector.select(timeout);
                    }
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                    var keys = selector.selectedKeys();
                    for (SelectionKey key : keys) {
                        Conn c = (Conn) key.attachment();
                        try {
                            if (!key.isValid()) {
                                continue;
                            }
                            if (key.isConnectable()) {
                                finishConnect(c);
                            } else {
                                if (key.isWritable()) {
                                    flush(c);
                                }
                                if (key.isValid() && key.isReadable()) {
                                    read(c);
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            fail(c, e.toString());
                        }
                    }
                    keys.clear();
                    if (mode == Mode.OPEN_LOOP) {
                        sendDue();
                    }
                    if (protocol.heartbeat() != null) {
                        heartbeats();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                try {
                    selector.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        // ---------------------------------------------------------------- connect phase

        void topUp() {
            while (inProgress < window && !pending.isEmpty()) {
                Pair p = pending.poll();
                inProgress++;
                p.startNanos = System.nanoTime();
                open(p.a);
            }
        }

        void open(Conn c) {
            try {
                c.connectStart = System.nanoTime();
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.state = CONNECTING;
                if (c.channel.connect(server)) {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                    handshake(c);
                } else {
                    c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                fail(c, e.toString());
            }
        }

        void finishConnect(Conn c) throws IOException {
            c.channel.finishConnect();
            c.key.interestOps(SelectionKey.OP_READ);
            handshake(c);
        }

        void handshake(Conn c) throws IOException {
            c.state = HANDSHAKE;
            if (c.second && protocol.join(c.pair) == null) {
                c.pair.joinStartNanos = c.connectStart;
            }
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String request = "GET " + protocol.target(c.pair, c.second) + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "User-Agent: parley-bench\r\n\r\n";
            write(c, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        }

        void opened(Conn c) {
            c.state = OPEN;
            byte[] join = protocol.join(c.pair);
            if (join != null) {
                if (c.second) {
                    c.pair.joinStartNanos = System.nanoTime();
                }
                write(c, frame(join));
            }
        }

        void ready(Conn c) {
            if (c.ready) {
                return;
            }
            c.ready = true;
            stats.connectsOk++;
            stats.connectToReady.add(System.nanoTime() - c.connectStart);
            if (!c.second) {
                open(c.pair.b);
            }
            checkPair(c.pair);
        }

        void checkPair(Pair p) {
            if (p.finished || !p.a.ready || !p.b.ready || protocol.hasPeerJoined && !p.peerJoined) {
                return;
            }
            p.finished = true;
            stats.pairsDone++;
            pairEnded();
        }

        void pairEnded() {
            if (mode == Mode.CONNECT) {
                inProgress--;
                topUp();
            }
        }

        void fail(Conn c, String why) {
            boolean wasReady = c.ready && c.state == OPEN;
            closeQuietly(c);
            if (wasReady) {
                droppedTotal++;
                stats.dropped++;
                dropReasons.merge(why.replaceAll("[0-9a-f]{8,}", "…"), 1, Integer::sum);
                if (stats.errorTexts.size() < 5) {
                    stats.errorTexts.add("dropped: " + why);
                }
                return;
            }
            if (c.failed) {
                return;
            }
            c.failed = true;
            stats.connectsFailed++;
            if (stats.errorTexts.size() < 5) {
                stats.errorTexts.add("connect: " + why);
            }
            Pair p = c.pair;
            if (!p.finished && !p.failed) {
                p.failed = true;
                stats.pairsFailed++;
                pairEnded();
            }
        }

        void closeQuietly(Conn c) {
            if (c.state == CLOSED || c.channel == null) {
                c.state = CLOSED;
                return;
            }
            c.state = CLOSED;
            try {
                c.channel.close();
            } catch (IOException e) {
                // gone anyway
            }
        }

        // ---------------------------------------------------------------- traffic

        void nextSetup() {
            for (Pair p; (p = setupQueue.poll()) != null; ) {
                if (usable(p)) {
                    send(p.a, protocol.offer(), OFFER);
                    return;
                }
            }
        }

        void startRound(Pair p) {
            p.roundOpen = true;
            send(p.a, protocol.offer(), OFFER);
            for (int i = 4; i < 8; i++) {
                send(p.a, protocol.candidate(i), (byte) ('0' + i));
            }
        }

        void sendDue() {
            long now = System.nanoTime();
            int n = traffic.size();
            if (n == 0) {
                return;
            }
            int burst = 0;
            while (nextSend <= now && burst++ < 10_000) {
                Pair p = traffic.get(cursor++ % n);
                int step = p.step++ % 10;
                if (step == 0) {
                    send(p.a, protocol.offer(), OFFER);
                } else if (step == 1) {
                    send(p.b, protocol.answer(), ANSWER);
                } else if (step < 6) {
                    send(p.a, protocol.candidate(step + 2), (byte) ('0' + step + 2));
                } else {
                    send(p.b, protocol.candidate(step - 6), (byte) ('0' + step - 6));
                }
                nextSend += interval;
            }
        }

        void heartbeats() {
            long period = 5_000_000_000L;
            long elapsed = System.nanoTime() - heartbeatEpoch;
            long round = elapsed / period;
            int size = all.size() * 2;
            if (size == 0) {
                return;
            }
            if (round != heartbeatRound) {
                heartbeatRound = round;
                heartbeatCursor = 0;
            }
            int target = (int) ((elapsed % period) * size / period);
            byte[] beat = protocol.heartbeat();
            while (heartbeatCursor < target && heartbeatCursor < size) {
                Pair p = all.get(heartbeatCursor / 2);
                Conn c = heartbeatCursor % 2 == 0 ? p.a : p.b;
                heartbeatCursor++;
                if (c.state == OPEN && c.ready) {
                    write(c, frame(beat));
                }
            }
        }

        void send(Conn c, Template t, byte kind) {
            if (c.state != OPEN) {
                return;
            }
            byte[] payload = t.bytes.clone();
            if (t.dstAt >= 0) {
                byte[] dst = c.peerId();
                System.arraycopy(dst, 0, payload, t.dstAt, dst.length);
            }
            payload[t.tsAt - 1] = kind;
            long ts = System.nanoTime();
            long v = ts;
            for (int i = t.tsAt + 18; i >= t.tsAt; i--) {
                payload[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            stats.sent++;
            write(c, frame(payload));
        }

        void relayed(Conn c, byte[] a, int off, int len) {
            long now = System.nanoTime();
            int at = indexOf(a, off, len, MARK);
            if (at < 0) {
                return;
            }
            byte kind = a[at + MARK.length];
            long ts = 0;
            for (int i = at + MARK.length + 1, end = i + 19; i < end; i++) {
                ts = ts * 10 + (a[i] - '0');
            }
            stats.received++;
            if (mode == Mode.OPEN_LOOP || mode == Mode.CLOSED_LOOP || mode == Mode.IDLE) {
                if (ts >= windowStart && ts < windowEnd) {
                    stats.relay.add(now - ts);
                }
                if (now >= windowStart && now < windowEnd) {
                    stats.receivedInWindow++;
                }
            }
            Pair p = c.pair;
            if (mode == Mode.SETUP) {
                if (kind == OFFER && c.second) {
                    send(c, protocol.answer(), ANSWER);
                } else if (kind == ANSWER && !c.second && !p.setupDone) {
                    p.setupDone = true;
                    stats.setups++;
                    nextSetup();
                }
            } else if (mode == Mode.CLOSED_LOOP) {
                if (kind == OFFER && c.second) {
                    send(c, protocol.answer(), ANSWER);
                    for (int i = 0; i < 4; i++) {
                        send(c, protocol.candidate(i), (byte) ('0' + i));
                    }
                } else if (kind == '3' && !c.second && p.roundOpen) {
                    startRound(p);
                }
            }
        }

        // ---------------------------------------------------------------- wire

        void write(Conn c, ByteBuffer buffer) {
            if (c.state == CLOSED) {
                return;
            }
            if (c.out.isEmpty()) {
                try {
                    c.channel.write(buffer);
                } catch (IOException e) {
                    fail(c, e.toString());
                    return;
                }
                if (!buffer.hasRemaining()) {
                    return;
                }
                c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
            }
            c.out.add(buffer);
        }

        void flush(Conn c) throws IOException {
            while (!c.out.isEmpty()) {
                ByteBuffer b = c.out.peek();
                c.channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                c.out.poll();
            }
            c.key.interestOps(SelectionKey.OP_READ);
        }

        void read(Conn c) throws IOException {
            for (int reads = 0; reads < 4; reads++) {
                if (!c.in.hasRemaining()) {
                    c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
                }
                int n = c.channel.read(c.in);
                if (n < 0) {
                    fail(c, "closed by server");
                    return;
                }
                if (n == 0) {
                    return;
                }
                c.in.flip();
                parse(c);
                if (c.state == CLOSED) {
                    return;
                }
                c.in.compact();
            }
        }

        void parse(Conn c) {
            ByteBuffer in = c.in;
            byte[] a = in.array();
            if (c.state == HANDSHAKE) {
                int end = indexOf(a, in.position(), in.remaining(), CRLFCRLF);
                if (end < 0) {
                    return;
                }
                String status = new String(a, in.position(), Math.min(12, in.remaining()), StandardCharsets.US_ASCII);
                if (!status.startsWith("HTTP/1.1 101")) {
                    String head = new String(a, in.position(), end - in.position(), StandardCharsets.US_ASCII);
                    fail(c, head.lines().findFirst().orElse("?"));
                    return;
                }
                in.position(end + 4);
                opened(c);
            }
            while (in.remaining() >= 2 && c.state == OPEN) {
                int p = in.position();
                int b0 = a[p] & 0xff;
                int b1 = a[p + 1] & 0xff;
                long len = b1 & 0x7f;
                int header = 2;
                if (len == 126) {
                    if (in.remaining() < 4) {
                        return;
                    }
                    len = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
                    header = 4;
                } else if (len == 127) {
                    if (in.remaining() < 10) {
                        return;
                    }
                    len = 0;
                    for (int i = 2; i < 10; i++) {
                        len = (len << 8) | (a[p + i] & 0xff);
                    }
                    header = 10;
                }
                boolean masked = (b1 & 0x80) != 0;
                if (masked) {
                    header += 4;
                }
                if (len > 16 * 1024 * 1024) {
                    fail(c, "frame too large");
                    return;
                }
                if (in.remaining() < header + len) {
                    if (in.capacity() < header + len) {
                        ByteBuffer bigger = ByteBuffer.allocate((int) (header + len) * 2);
                        bigger.put(in);
                        bigger.flip();
                        c.in = bigger;
                    }
                    return;
                }
                int off = p + header;
                if (masked) {
                    for (int i = 0; i < len; i++) {
                        a[off + i] ^= a[p + header - 4 + (i & 3)];
                    }
                }
                in.position((int) (off + len));
                onFrame(c, b0, a, off, (int) len);
                if (c.in != in) {
                    return;
                }
            }
        }

        void onFrame(Conn c, int b0, byte[] a, int off, int len) {
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            switch (opcode) {
                case 1, 0 -> {
                    if (!fin || c.fragments != null) {
                        if (c.fragments == null) {
                            c.fragments = new ByteArrayOutputStream();
                        }
                        c.fragments.write(a, off, len);
                        if (fin) {
                            byte[] whole = c.fragments.toByteArray();
                            c.fragments = null;
                            text(c, whole, 0, whole.length);
                        }
                    } else {
                        text(c, a, off, len);
                    }
                }
                case 8 -> fail(c, "close frame " + (len >= 2 ? ((a[off] & 0xff) << 8 | (a[off + 1] & 0xff)) : 0)
                        + (len > 2 ? " " + new String(a, off + 2, len - 2, StandardCharsets.UTF_8) : ""));
                case 9 -> write(c, control(0x8A, a, off, len));
                default -> {
                    // pong or binary: ignored
                }
            }
        }

        void text(Conn c, byte[] a, int off, int len) {
            String type = typeOf(a, off, len);
            switch (type) {
                case "offer", "answer", "candidate", "OFFER", "ANSWER", "CANDIDATE" -> relayed(c, a, off, len);
                case "peer-joined" -> {
                    if (!c.second && !c.pair.peerJoined) {
                        c.pair.peerJoined = true;
                        if (c.pair.joinStartNanos != 0) {
                            stats.joinToPeerJoined.add(System.nanoTime() - c.pair.joinStartNanos);
                        }
                        checkPair(c.pair);
                    }
                }
                default -> {
                    if (protocol.isReady(type)) {
                        ready(c);
                    } else if (protocol.isError(type)) {
                        stats.errors++;
                        if (stats.errorTexts.size() < 5) {
                            stats.errorTexts.add(new String(a, off, Math.min(len, 300), StandardCharsets.UTF_8));
                        }
                        if (!c.ready) {
                            fail(c, "error before ready");
                        }
                    }
                }
            }
        }
    }

    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
    private static final byte[] TYPE = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);

    static String typeOf(byte[] a, int off, int len) {
        int at = indexOf(a, off, Math.min(len, 64), TYPE);
        if (at < 0) {
            return "";
        }
        int from = at + TYPE.length;
        int end = from;
        while (end < off + len && a[end] != '"') {
            end++;
        }
        return new String(a, from, end - from, StandardCharsets.US_ASCII);
    }

    static int indexOf(byte[] a, int off, int len, byte[] pattern) {
        int last = off + len - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = off; i <= last; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A masked text frame (clients must mask; the key is random per frame as RFC 6455 asks). */
    static ByteBuffer frame(byte[] payload) {
        int len = payload.length;
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + 4 + len);
        b.put((byte) 0x81);
        if (len < 126) {
            b.put((byte) (0x80 | len));
        } else if (len < 65536) {
            b.put((byte) (0x80 | 126)).putShort((short) len);
        } else {
            b.put((byte) (0x80 | 127)).putLong(len);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        b.putInt(mask);
        byte m0 = (byte) (mask >>> 24);
        byte m1 = (byte) (mask >>> 16);
        byte m2 = (byte) (mask >>> 8);
        byte m3 = (byte) mask;
        byte[] out = b.array();
        int base = b.position();
        for (int i = 0; i < len; i++) {
            byte m = switch (i & 3) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                default -> m3;
            };
            out[base + i] = (byte) (payload[i] ^ m);
        }
        b.position(base + len);
        b.flip();
        return b;
    }

    static ByteBuffer control(int b0, byte[] a, int off, int len) {
        byte[] payload = Arrays.copyOfRange(a, off, off + len);
        ByteBuffer f = frame(payload);
        f.put(0, (byte) b0);
        return f;
    }
}
