package dev.parley.bench;

import dev.parley.bench.WsLoad.Negotiation;
import dev.parley.bench.WsLoad.Pair;
import dev.parley.bench.WsLoad.Protocol;
import dev.parley.bench.WsLoad.Stats;
import dev.parley.bench.WsLoad.Template;
import dev.parley.bench.relay.BareRelayEndpoint;
import dev.parley.bench.relay.UpgradeRelayConnection;
import dev.parley.bench.relay.UpgradeRelayServlet;
import dev.parley.it.support.Api;
import dev.parley.signaling.Rfc6455;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Signaling under load, side by side: Parley, a bare {@code @ServerEndpoint} relay on the same Payara Micro (the
 * container's floor, {@link BareRelayEndpoint}) and the PeerJS server (npm {@code peer}, {@code bench/peerjs}), each
 * started here on loopback, pinned with {@code taskset} to one CPU while this load generator ({@link WsLoad}) is
 * pinned to the other, and put through the same phases in turn:
 *
 * <ol>
 * <li>warm-up (JIT): a few hundred sockets negotiate in a closed loop, then go; baseline memory after a full GC;
 * <li>connect N sockets in N/2 pairs ({@code -Dbench.window} pairs at a time): connects/s, failures, connect→ready
 * and join→peer-joined latencies;
 * <li>idle with everyone connected: CPU over {@code -Dbench.idleSeconds} (heartbeats: Parley pings every 5 s,
 * PeerJS clients send HEARTBEAT every 5 s, the bare relay has none), resident memory and heap after a full GC;
 * <li>probe: {@code -Dbench.probePairs} more pairs join, 4 at a time, while N are connected: join→peer-joined;
 * <li>open loop: {@code -Dbench.rate} messages/s in all over every pair (a negotiation mix: offer ~3 KB, answer ~3 KB,
 * 8 candidates ~300 B), one-way latency p50/p99/p99.9 and server CPU per relayed message;
 * <li>closed loop: {@code -Dbench.closedPairs} pairs negotiate back to back: maximum messages/s, latency, server
 * CPU per message (and the load generator's own CPU, to show it was not the limit).
 * </ol>
 *
 * <p>Run (after {@code mvn -B -DskipTests package}, or in one go):
 * {@code mvn -B -DskipTests package org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass=dev.parley.bench.SignalingBenchmark
 * -Dexec.classpathScope=test [-Dbench.connections=2000] [-Dbench.servers=parley,relay,peerjs]}; the 10,000-connection
 * case: {@code -Dbench.connections=10000 -Dbench.xmx=1g}. It prints figures beside the targets, writes them to
 * {@code target/bench/signaling.txt}, and never fails on them.
 *
 * <p>Servers ({@code -Dbench.servers}, comma-separated): {@code parley}, {@code relay}, {@code peerjs}; on WildFly
 * {@code parley-wildfly}, {@code relay-wildfly}, {@code relay-async-wildfly}; Parley on the container's WebSocket stack
 * ({@code parley.ws.transport=container}, the default before 2026-12-05) {@code parley-container} and
 * {@code parley-container-wildfly}; relay experiments on Payara Micro
 * {@code relay-libs} (Parley's jars beside it), {@code relay-jdkloader}; and {@code relay-upgrade} /
 * {@code relay-upgrade-wildfly}, the relay framing WebSocket itself over the Servlet HTTP upgrade with no container
 * WebSocket stack ({@link UpgradeRelayServlet}: does it avoid Payara's per-frame Tyrus cost?), and
 * {@code relay-upgrade-pings}, the same pinging every socket every 5 s as Parley's heartbeat does.
 */
public final class SignalingBenchmark {

    static final int N = Integer.getInteger("bench.connections", 2000);
    private static final List<String> SERVERS = List.of(System.getProperty("bench.servers", "parley,relay,peerjs").split(","));
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "2000"));
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmupSeconds", 10);
    static final int CLOSED_PAIRS = Integer.getInteger("bench.closedPairs", 100);
    private static final int PROBE_PAIRS = Integer.getInteger("bench.probePairs", 100);
    static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 15);
    static final int WINDOW = Integer.getInteger("bench.window", 100);
    static final int LOOPS = Integer.getInteger("bench.loops", 1);
    static final String XMX = System.getProperty("bench.xmx", "512m");
    static final String SERVER_CPU = System.getProperty("bench.serverCpu", "1");
    static final String CLIENT_CPU = System.getProperty("bench.clientCpu", "0");
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    private static final boolean HISTOGRAM = Boolean.getBoolean("bench.histogram");
    private static final int MAX_MINUTES = Integer.getInteger("bench.maxMinutes", 30);

    public static void main(String[] args) throws Exception {
        Thread watchdog = watchdog("signaling benchmark");
        pinSelf();

        Map<String, Result> results = new LinkedHashMap<>();
        for (String server : SERVERS) {
            String s = server.trim();
            try {
                results.put(s, run(s));
            } catch (Exception e) {
                System.err.println(s + ": run failed: " + e);
                e.printStackTrace();
            }
        }
        ServerProcess.publish(report(results), "signaling.txt");
        watchdog.interrupt();
        System.exit(0);
    }

    /** Ends the run, stopping its servers (the shutdown hook), after {@code bench.maxMinutes}; interrupt it when done. */
    static Thread watchdog(String what) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(MAX_MINUTES));
                System.err.println(what + ": over " + MAX_MINUTES + " minutes, giving up");
                System.exit(2); // the shutdown hook stops the servers
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    /** Every thread of this JVM onto the load generator's CPU; new threads inherit it. */
    static void pinSelf() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-cp", CLIENT_CPU, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            System.err.println("warning: could not pin the load generator to CPU " + CLIENT_CPU);
        }
    }

    /** Figures of one server; NaN where not measured. */
    static final class Result {
        final Map<String, Double> v = new HashMap<>();
        final List<String> notes = new ArrayList<>();

        void put(String key, double value) {
            v.put(key, value);
        }

        double get(String key) {
            return v.getOrDefault(key, Double.NaN);
        }
    }

    static Protocol protocolOf(String name) {
        return switch (name) {
            case "parley", "parley-wildfly", "parley-container", "parley-container-wildfly" -> PARLEY;
            case "relay", "relay-libs", "relay-jdkloader", "relay-wildfly", "relay-async-wildfly" -> RELAY;
            case "relay-upgrade", "relay-upgrade-pings", "relay-upgrade-wildfly" -> RELAY_UPGRADE;
            case "peerjs" -> PEERJS;
            default -> throw new IllegalArgumentException("unknown server " + name
                    + " (parley, relay, peerjs, parley-wildfly, parley-container, parley-container-wildfly, relay-wildfly, relay-async-wildfly, relay-libs, relay-jdkloader,"
                    + " relay-upgrade, relay-upgrade-pings, relay-upgrade-wildfly)");
        };
    }

    private static Result run(String name) throws Exception {
        Protocol protocol = protocolOf(name);
        log(name, "starting, pinned to CPU " + SERVER_CPU);
        long bootStart = System.nanoTime();
        Result r = new Result();
        try (ServerProcess server = start(name)) {
            log(name, String.format("up in %.1f s, pid %d, port %d", (System.nanoTime() - bootStart) / 1e9, server.pid(), server.port));
            try (WsLoad load = new WsLoad(protocol, new InetSocketAddress("127.0.0.1", server.port), LOOPS)) {
                measure(name, server, load, r);
            }
        }
        return r;
    }

    static ServerProcess start(String name) throws Exception {
        Path parleyWar = Path.of(System.getProperty("parley.war", "target/parley.war"));
        return switch (name) {
            case "parley" -> {
                Map<String, String> settings = parleySettings();
                settings.put("parley.data.dir", Files.createTempDirectory("parley-bench-data").toString());
                yield ServerProcess.payara("parley", parleyWar, SERVER_CPU, XMX, settings, "/health/ready");
            }
            case "parley-container" -> {
                Map<String, String> settings = parleySettings();
                settings.put("parley.data.dir", Files.createTempDirectory("parley-bench-data").toString());
                settings.put("parley.ws.transport", "container");
                yield ServerProcess.payara(name, parleyWar, SERVER_CPU, XMX, settings, "/health/ready");
            }
            case "parley-wildfly" -> ServerProcess.wildfly(name, parleyWar, SERVER_CPU, XMX, parleySettings(), true);
            case "parley-container-wildfly" -> {
                Map<String, String> settings = parleySettings();
                settings.put("parley.ws.transport", "container");
                yield ServerProcess.wildfly(name, parleyWar, SERVER_CPU, XMX, settings, true);
            }
            case "relay-wildfly" -> ServerProcess.wildfly(name, relayWar(), SERVER_CPU, XMX, Map.of(), false);
            case "relay-async-wildfly" -> ServerProcess.wildfly(name, relayWar(), SERVER_CPU, XMX,
                    Map.of("bench.relay.async", "true"), false);
            case "relay" -> ServerProcess.payara("relay", relayWar(), SERVER_CPU, XMX, Map.of(), "/health/ready");
            case "relay-upgrade" -> ServerProcess.payara("relay-upgrade", upgradeRelayWar(), SERVER_CPU, XMX, Map.of(),
                    "/health/ready");
            case "relay-upgrade-pings" -> ServerProcess.payara(name, upgradeRelayWar(), SERVER_CPU, XMX,
                    Map.of("bench.relay.pingMs", "5000"), "/health/ready");
            case "relay-upgrade-wildfly" -> ServerProcess.wildfly(name, upgradeRelayWar(), SERVER_CPU, XMX, Map.of(), false);
            case "relay-jdkloader" -> ServerProcess.payara("relay-jdkloader", relayWar(), SERVER_CPU, XMX,
                    Map.of("bench.relay.jdkLoader", "true"), "/health/ready");
            case "relay-libs" -> {
                // The bare relay with Parley's WEB-INF/lib beside it: what the class path alone costs per message.
                List<Path> jars;
                try (var files = Files.list(Path.of("target", "parley", "WEB-INF", "lib"))) {
                    jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
                }
                yield ServerProcess.payara("relay-libs", ServerProcess.warOf(Path.of("target", "bench", "relay-libs.war"),
                        jars, BareRelayEndpoint.class), SERVER_CPU, XMX, Map.of(), "/health/ready");
            }
            default -> ServerProcess.peerjs(Path.of("bench", "peerjs"), SERVER_CPU);
        };
    }

    /** The bare relay alone in a WAR (its variants differ only by the server's system properties). */
    private static Path relayWar() throws IOException {
        return ServerProcess.warOf(Path.of("target", "bench", "relay.war"), List.of(), BareRelayEndpoint.class);
    }

    /** The same relay framing WebSocket itself over the Servlet HTTP upgrade, with no container WebSocket stack. */
    private static Path upgradeRelayWar() throws IOException {
        return ServerProcess.warOf(Path.of("target", "bench", "relay-upgrade.war"), List.of(), UpgradeRelayServlet.class,
                UpgradeRelayConnection.class, Rfc6455.class);
    }

    /** Connects every pair, {@code bench.window} pairs in progress at a time. */
    static Stats connectAll(WsLoad load, List<Pair> pairs) throws InterruptedException {
        return load.connect(pairs, WINDOW, deadline(Math.max(120, N / 20)));
    }

    /** The pairs that run a closed loop: the first {@code bench.closedPairs} still usable. */
    static List<Pair> closedLoopPairs(List<Pair> pairs) {
        return pairs.stream().filter(WsLoad::usable).limit(CLOSED_PAIRS).collect(Collectors.toList());
    }

    /** Parley's defaults, but for the limits a load test must lift (one address opens every socket, fast). */
    private static Map<String, String> parleySettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("parley.admin.token", Api.ADMIN_TOKEN);
        settings.put("parley.ws.rate", "1000000");
        settings.put("parley.ws.burst", "1000000");
        settings.put("parley.ws.max-connections-per-address", "1000000");
        settings.put("parley.resume.grace", "PT2S");
        // Any -Dbench.parley.<key>=<value> sets parley.<key> as well (e.g. -Dbench.parley.ws.ping-interval=PT30S).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.parley."))
                .forEach(k -> settings.put(k.substring("bench.".length()), System.getProperty(k)));
        return settings;
    }

    private static void measure(String name, ServerProcess server, WsLoad load, Result r) throws Exception {
        // 1. Warm-up, then the baseline.
        warmUp(load);
        Thread.sleep(8000); // the warm-up's sockets leave (Parley: after its 2 s grace, then their history is written)
        long idle0 = server.cpuNanos();
        Thread.sleep(5000);
        r.put("idleCpu0", 100.0 * (server.cpuNanos() - idle0) / TimeUnit.SECONDS.toNanos(5));
        Map<String, long[]> live0 = server.liveHeap();
        long heap0 = ServerProcess.totalKb(live0);
        long rss0 = server.rssKb(); // after the full GC (for JVMs), like the reading with N connected
        r.put("rss0", rss0 / 1024.0);
        if (heap0 >= 0) {
            r.put("heap0", heap0 / 1024.0);
        }
        log(name, String.format("warmed up; baseline RSS %d MB, heap after GC %s", rss0 / 1024, mb(heap0)));

        // 2. Connect N sockets in pairs.
        List<Pair> pairs = pairs(0, N / 2);
        long t0 = System.nanoTime();
        Stats c = connectAll(load, pairs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.put("connected", c.connectsOk);
        r.put("failed", N - c.connectsOk);
        r.put("connectsPerSecond", c.connectsOk / seconds);
        r.put("connectReady50", c.connectToReady.ms(50));
        r.put("connectReady99", c.connectToReady.ms(99));
        r.put("joinRamp50", c.joinToPeerJoined.ms(50));
        r.put("joinRamp99", c.joinToPeerJoined.ms(99));
        log(name, String.format("connected %d of %d sockets in %.1f s (%d failed)%s", c.connectsOk, N, seconds,
                N - c.connectsOk, c.errorTexts.isEmpty() ? "" : "; e.g. " + c.errorTexts));
        Stats setup = load.setupCalls(pairs, deadline(60));
        if (setup.setups < c.pairsDone) {
            log(name, "only " + setup.setups + " of " + c.pairsDone + " pairs set up a call; " + setup.errorTexts);
        }

        // 3. Idle with N connected, once the call set-up has settled (Parley writes its history meanwhile).
        Thread.sleep(10_000);
        if (name.startsWith("parley")) {
            long backlog = historyBacklog(server);
            r.put("historyBacklog", backlog);
            // Profiled, with -Dbench.jfr: what the record path spends its time on.
            r.put("historySeconds", profiled(server, name, "history", () -> awaitHistoryWritten(server)));
            r.put("historyRate", backlog / r.get("historySeconds"));
            log(name, String.format("history writer: %,d events queued 10 s after the set-up, all written %.1f s later "
                    + "(%,.0f events/s)", backlog, r.get("historySeconds"), r.get("historyRate")));
        }
        r.put("settleSeconds", awaitSteady(server));
        long cpu0 = server.cpuNanos();
        Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
        long cpu1 = server.cpuNanos();
        r.put("idleCpu", 100.0 * (cpu1 - cpu0) / TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
        Map<String, long[]> live1 = server.liveHeap();
        long heap1 = ServerProcess.totalKb(live1);
        long rss1 = server.rssKb();
        if (HISTOGRAM) {
            Path histogram = Path.of("target", "bench", name + "-histogram.txt");
            Files.writeString(histogram, histogramGrowth(live0, live1));
            log(name, "heap growth per 1,000 sockets by class: " + histogram.toAbsolutePath());
        }
        long[] held = load.held();
        r.put("held", held[0]);
        r.put("rss1", rss1 / 1024.0);
        if (heap1 >= 0) {
            r.put("heap1", heap1 / 1024.0);
        }
        double thousands = held[0] / 1000.0;
        r.put("rssPer1000", (rss1 - rss0) / 1024.0 / thousands);
        r.put("rssTotalPer1000", rss1 / 1024.0 / thousands);
        if (heap0 >= 0 && heap1 >= 0) {
            r.put("heapPer1000", (heap1 - heap0) / 1024.0 / thousands);
        }
        log(name, String.format("idle with %d sockets: CPU %.1f%%, RSS %d MB, heap after GC %s", held[0],
                r.get("idleCpu"), rss1 / 1024, mb(heap1)));

        // 4. Probe joins with N connected.
        List<Pair> probes = pairs(800_000, PROBE_PAIRS);
        Stats p = load.connect(probes, 4, deadline(60));
        r.put("join50", p.joinToPeerJoined.ms(50));
        r.put("join99", p.joinToPeerJoined.ms(99));
        r.put("probeReady99", p.connectToReady.ms(99));
        r.put("probeFailed", 2 * PROBE_PAIRS - p.connectsOk);
        load.closePairs(probes);

        // 5. Open loop at a fixed rate over every pair.
        Window w = new Window(server);
        Stats open = load.openLoop(pairs, RATE, TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(SECONDS), w);
        r.put("openRate", open.receivedInWindow / (double) SECONDS);
        r.put("open50", open.relay.ms(50));
        r.put("open99", open.relay.ms(99));
        r.put("open999", open.relay.ms(99.9));
        r.put("openMax", open.relay.ms(100));
        r.put("openCpuPerMsg", w.serverCpu() / 1000.0 / open.receivedInWindow);
        r.put("openCpuPerMsgLessIdle", lessIdle(r, w.serverCpu()) / 1000.0 / open.receivedInWindow);
        r.put("openServerCpu", 100.0 * w.serverCpu() / TimeUnit.SECONDS.toNanos(SECONDS));
        r.put("openErrors", open.errors + open.dropped);
        log(name, String.format("open loop %.0f msgs/s offered: %.0f delivered/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                + "server CPU %.1f µs/msg%s", RATE, r.get("openRate"), r.get("open50"), r.get("open99"), r.get("open999"),
                r.get("openCpuPerMsg"), open.errorTexts.isEmpty() ? "" : "; " + open.errorTexts));

        // 6. Closed loop: as fast as the server relays.
        List<Pair> busy = closedLoopPairs(pairs);
        Window cw = new Window(server);
        Stats closed = load.closedLoop(busy, TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(SECONDS), cw);
        r.put("closedRate", closed.receivedInWindow / (double) SECONDS);
        r.put("closed50", closed.relay.ms(50));
        r.put("closed99", closed.relay.ms(99));
        r.put("closedCpuPerMsg", cw.serverCpu() / 1000.0 / closed.receivedInWindow);
        r.put("closedCpuPerMsgLessIdle", lessIdle(r, cw.serverCpu()) / 1000.0 / closed.receivedInWindow);
        r.put("closedServerCpu", 100.0 * cw.serverCpu() / TimeUnit.SECONDS.toNanos(SECONDS));
        r.put("closedClientCpu", 100.0 * cw.clientCpu() / TimeUnit.SECONDS.toNanos(SECONDS));
        r.put("closedErrors", closed.errors + closed.dropped);
        log(name, String.format("closed loop, %d pairs: %.0f msgs/s, p50 %.2f ms, p99 %.2f ms, server CPU %.1f µs/msg "
                + "(%.0f%% of a core), load generator %.0f%% of a core%s", busy.size(), r.get("closedRate"), r.get("closed50"),
                r.get("closed99"), r.get("closedCpuPerMsg"), r.get("closedServerCpu"), r.get("closedClientCpu"),
                closed.errorTexts.isEmpty() ? "" : "; " + closed.errorTexts));

        long[] after = load.held();
        r.put("heldAtEnd", after[0]);
        r.put("dropped", after[1]);
        if (after[1] > 0) {
            r.notes.add("sockets closed by the server during the run: " + load.dropReasons());
            log(name, "dropped: " + load.dropReasons());
        }
        if (profiling(name)) {
            // Profiled in windows of their own after every measured phase, so that recording never disturbs the figures
            // above: a closed loop, then idle (where the heartbeat's CPU goes). Without -Dbench.jfr neither runs.
            profiled(server, name, "closed-loop", () -> load.closedLoop(busy, TimeUnit.SECONDS.toNanos(2),
                    TimeUnit.SECONDS.toNanos(SECONDS), WsLoad.Edges.NONE));
            profiled(server, name, "idle", () -> {
                Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
                return null;
            });
        }
        if (!server.isAlive()) {
            r.notes.add("the server process died during the run");
        }
    }

    /** A few hundred sockets negotiate in a closed loop for {@code bench.warmupSeconds} (the JIT's work), then leave. */
    static void warmUp(WsLoad load) throws InterruptedException {
        List<Pair> warm = pairs(900_000, Math.min(200, Math.max(1, N / 2)));
        load.connect(warm, WINDOW, deadline(60));
        load.setupCalls(warm, deadline(30));
        load.closedLoop(warm, 0, TimeUnit.SECONDS.toNanos(WARMUP), WsLoad.Edges.NONE);
        load.closePairs(warm);
    }

    /**
     * A window's server CPU (ns) less what the server spends with N connected and no traffic (the heartbeat, for
     * Parley; nothing much for the relay): the CPU the messages themselves cost.
     */
    private static double lessIdle(Result r, long windowCpuNanos) {
        return windowCpuNanos - r.get("idleCpu") / 100.0 * TimeUnit.SECONDS.toNanos(SECONDS);
    }

    /** Parley's {@code parley_history_backlog} (events recorded, not yet written), from its {@code /api/metrics}. */
    static long historyBacklog(ServerProcess server) {
        try {
            String metrics = new Api(URI.create("http://127.0.0.1:" + server.port + "/").toURL()).adminGet("api/metrics").body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("parley_history_backlog ")) {
                    return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            // not answering (Api reports a failed request as an AssertionError): counted as unknown
        }
        return -1;
    }

    /** Waits (at most 300 s) until Parley's history writer has written everything; returns how long it took, in s. */
    static double awaitHistoryWritten(ServerProcess server) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && historyBacklog(server) > 0) {
            Thread.sleep(250);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Waits, at most {@code bench.settleSeconds} (120), until the server's CPU use is steady: two 3 s windows in a row
     * within 3 % of a core of each other. After the set-up of N/2 calls the JIT is still compiling and Parley's history
     * writer still writing those calls for a while (tens of seconds at 10,000 on a slow core); the idle and traffic
     * figures are meant to be taken after that tail, not during it. Returns how long it waited, in seconds.
     */
    static double awaitSteady(ServerProcess server) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.settleSeconds", 120));
        double previous = Double.NaN;
        while (System.nanoTime() < deadline) {
            long cpu0 = server.cpuNanos();
            Thread.sleep(3000);
            double share = 100.0 * (server.cpuNanos() - cpu0) / TimeUnit.SECONDS.toNanos(3);
            if (Math.abs(share - previous) < 3) {
                break;
            }
            previous = share;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Samples the server's and this process's CPU time at a measurement window's edges. */
    static final class Window implements WsLoad.Edges {
        final ServerProcess server;
        long serverStart;
        long serverEnd;
        long clientStart;
        long clientEnd;

        Window(ServerProcess server) {
            this.server = server;
        }

        @Override
        public void start() {
            serverStart = server.cpuNanos();
            clientStart = ServerProcess.selfCpuNanos();
        }

        @Override
        public void end() {
            serverEnd = server.cpuNanos();
            clientEnd = ServerProcess.selfCpuNanos();
        }

        long serverCpu() {
            return serverEnd - serverStart;
        }

        long clientCpu() {
            return clientEnd - clientStart;
        }
    }

    // -------------------------------------------------------------------------------------------- report

    private static List<String> report(Map<String, Result> results) {
        List<String> lines = new ArrayList<>();
        Result peerjs = results.get("peerjs");
        lines.add(String.format("Signaling benchmark, %s: N = %,d sockets (%,d pairs), loopback, %s CPUs; server pinned to CPU %s, "
                        + "load generator to CPU %s; %s; JVM servers -Xmx%s; %s; open loop %,.0f msgs/s, closed loop %d pairs, "
                        + "%d s windows", Instant.now().toString().substring(0, 16) + "Z", N, N / 2,
                cpus(), SERVER_CPU, CLIENT_CPU,
                "JDK " + System.getProperty("java.version"), XMX, nodeVersion(), RATE, CLOSED_PAIRS, SECONDS));
        lines.add(String.format("load average at the end: %s", loadAverage()));
        lines.add("Parley's settings (defaults otherwise): " + parleySettings());
        lines.add("");
        String head = header(results);
        lines.add(head);
        lines.add("-".repeat(head.length() + 10));
        row(lines, results, "sockets held (of N) / failed", "held", "%,.0f", "");
        row(lines, results, "  failed to connect or join", "failed", "%,.0f", "0 at 10,000");
        row(lines, results, "  dropped later / still held at the end", "dropped", "%,.0f", "0");
        row(lines, results, "connects/s (ramp, window " + WINDOW + " pairs)", "connectsPerSecond", "%,.0f", "");
        row(lines, results, "connect→ready p50 ms (ramp)", "connectReady50", "%.2f", "");
        row(lines, results, "connect→ready p99 ms (ramp)", "connectReady99", "%.2f", "");
        row(lines, results, "join→peer-joined p50 ms (ramp)", "joinRamp50", "%.2f", "");
        row(lines, results, "join→peer-joined p99 ms (ramp)", "joinRamp99", "%.2f", "");
        row(lines, results, "join→peer-joined p50 ms (N connected)", "join50", "%.2f", "");
        row(lines, results, "join→peer-joined p99 ms (N connected)", "join99", "%.2f", "< 100 at 10,000");
        row(lines, results, "RSS baseline MB", "rss0", "%.0f", "");
        row(lines, results, "RSS with N MB", "rss1", "%.0f", "");
        row(lines, results, "RSS per 1,000 sockets MB (Δ)", "rssPer1000", "%.1f", "≤ 50");
        row(lines, results, "RSS per 1,000 sockets MB (total/N)", "rssTotalPer1000", "%.1f", "");
        row(lines, results, "heap after GC baseline MB", "heap0", "%.1f", "");
        row(lines, results, "heap after GC with N MB", "heap1", "%.1f", "");
        row(lines, results, "heap per 1,000 sockets MB (Δ)", "heapPer1000", "%.2f", "");
        row(lines, results, "idle CPU % of a core, no sockets", "idleCpu0", "%.2f", "");
        row(lines, results, "  history events queued 10 s after the set-up", "historyBacklog", "%,.0f", "");
        row(lines, results, "  s until all written", "historySeconds", "%.1f", "");
        row(lines, results, "  events written per s meanwhile", "historyRate", "%,.0f", "");
        row(lines, results, "  then s until the server's CPU was steady", "settleSeconds", "%.0f", "");
        row(lines, results, "idle CPU % of a core, N connected", "idleCpu", "%.2f", "");
        row(lines, results, String.format("open loop: delivered msgs/s (%,.0f offered)", RATE), "openRate", "%,.0f", "");
        row(lines, results, "  one-way p50 ms", "open50", "%.2f", "");
        row(lines, results, "  one-way p99 ms", "open99", "%.2f", "< 20 at 2,000/s");
        row(lines, results, "  one-way p99.9 ms", "open999", "%.2f", "");
        row(lines, results, "  one-way max ms", "openMax", "%.2f", "");
        row(lines, results, "  server CPU µs per relayed msg", "openCpuPerMsg", "%.1f", "≤ 1.2× relay");
        row(lines, results, "    less the idle CPU with N connected", "openCpuPerMsgLessIdle", "%.1f", "");
        row(lines, results, "  server CPU % of a core", "openServerCpu", "%.1f", "");
        row(lines, results, "closed loop: max msgs/s", "closedRate", "%,.0f", "");
        row(lines, results, "  one-way p50 ms", "closed50", "%.2f", "");
        row(lines, results, "  one-way p99 ms", "closed99", "%.2f", "");
        row(lines, results, "  server CPU µs per relayed msg", "closedCpuPerMsg", "%.1f", "≤ 1.2× relay");
        row(lines, results, "    less the idle CPU with N connected", "closedCpuPerMsgLessIdle", "%.1f", "");
        row(lines, results, "  server CPU % of a core", "closedServerCpu", "%.0f", "");
        row(lines, results, "  load generator CPU % of a core", "closedClientCpu", "%.0f", "");
        row(lines, results, "errors (error frames, drops) in traffic", "closedErrors", "%,.0f", "0");
        lines.add("");
        for (String[] variant : new String[][] {{"parley", "relay", "Payara Micro"}, {"parley-wildfly", "relay-wildfly", "WildFly"},
                {"parley-container", "relay", "Payara Micro, parley.ws.transport=container"},
                {"parley-container-wildfly", "relay-wildfly", "WildFly, parley.ws.transport=container"}}) {
            Result p = results.get(variant[0]);
            if (p != null) {
                targets(lines, p, results.get(variant[1]), variant[2]);
            }
        }
        for (var e : results.entrySet()) {
            for (String note : e.getValue().notes) {
                lines.add(e.getKey() + ": " + note);
            }
        }
        if (peerjs != null) {
            lines.add("PeerJS has no rooms: its 'ready' is OPEN after the handshake, and it has no peer-joined; its heap is not measured.");
        }
        return lines;
    }

    private static void targets(List<String> lines, Result parley, Result relay, String container) {
        lines.add("Targets (Parley on " + container + "; the run does not fail on them):");
        lines.add(verdict(N >= 10_000 && parley.get("failed") == 0 && parley.get("dropped") == 0,
                String.format("10,000 connections, zero failures (-Xmx1g): N = %,d, held %,.0f, failed %,.0f, dropped %,.0f, -Xmx%s",
                        N, parley.get("held"), parley.get("failed"), parley.get("dropped"), XMX), N < 10_000));
        lines.add(verdict(parley.get("rssPer1000") <= 50, String.format("RSS ≤ 50 MB per 1,000 connections: %.1f MB (Δ over baseline)",
                parley.get("rssPer1000")), false));
        if (relay != null) {
            double ratioClosed = parley.get("closedCpuPerMsg") / relay.get("closedCpuPerMsg");
            double ratioOpen = parley.get("openCpuPerMsg") / relay.get("openCpuPerMsg");
            lines.add(verdict(ratioClosed <= 1.2, String.format("server CPU per relayed message ≤ 1.2× the bare relay: "
                    + "%.2f× at saturation (%.1f vs %.1f µs), %.2f× at %,.0f msgs/s (%.1f vs %.1f µs)", ratioClosed,
                    parley.get("closedCpuPerMsg"), relay.get("closedCpuPerMsg"), ratioOpen, RATE, parley.get("openCpuPerMsg"),
                    relay.get("openCpuPerMsg")), false));
            double lessIdle = parley.get("closedCpuPerMsgLessIdle") / relay.get("closedCpuPerMsgLessIdle");
            lines.add(String.format("            the same at saturation less each server's idle CPU with N connected (Parley's "
                    + "heartbeat): %.2f× (%.1f vs %.1f µs)", lessIdle, parley.get("closedCpuPerMsgLessIdle"),
                    relay.get("closedCpuPerMsgLessIdle")));
        }
        lines.add(verdict(parley.get("join99") < 100, String.format("join→peer-joined p99 < 100 ms with 10,000 connected: "
                + "%.2f ms with %,.0f connected", parley.get("join99"), parley.get("held")), N < 10_000));
        lines.add(verdict(parley.get("open99") < 20, String.format("relay p99 < 20 ms at 2,000 msgs/s: %.2f ms at %,.0f msgs/s",
                parley.get("open99"), RATE), RATE != 2000));
    }

    private static String verdict(boolean ok, String text, boolean notApplicable) {
        return (notApplicable ? "  [n/a at this N/rate] " : ok ? "  [met]     " : "  [NOT met] ") + text;
    }

    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("parley", "Parley"),
            Map.entry("relay", "bare relay"), Map.entry("peerjs", "PeerJS"), Map.entry("relay-libs", "relay+libs"),
            Map.entry("relay-jdkloader", "relay+jdkCL"), Map.entry("parley-wildfly", "Parley/WF"),
            Map.entry("relay-wildfly", "relay/WF"), Map.entry("relay-upgrade", "relay/upg"),
            Map.entry("relay-upgrade-pings", "relay/upg+ping"), Map.entry("relay-upgrade-wildfly", "relay/upg/WF"),
            Map.entry("parley-container", "Parley/ws"), Map.entry("parley-container-wildfly", "Parley/ws/WF"));
    /** Ratio columns: label, numerator, denominator; shown when both servers ran. */
    private static final String[][] RATIOS = {{"P/relay", "parley", "relay"}, {"P/PeerJS", "parley", "peerjs"},
            {"PWF/rWF", "parley-wildfly", "relay-wildfly"}, {"PWF/PeerJS", "parley-wildfly", "peerjs"},
            {"PWF/P", "parley-wildfly", "parley"}, {"P/upg", "parley", "relay-upgrade-pings"},
            {"P/Pws", "parley", "parley-container"}, {"PWF/PwsWF", "parley-wildfly", "parley-container-wildfly"}};

    private static List<String[]> ratios(Map<String, Result> results) {
        List<String[]> shown = new ArrayList<>();
        for (String[] ratio : RATIOS) {
            if (results.containsKey(ratio[1]) && results.containsKey(ratio[2])) {
                shown.add(ratio);
            }
        }
        return shown;
    }

    private static String header(Map<String, Result> results) {
        StringBuilder b = new StringBuilder(String.format("%-44s", ""));
        for (String name : results.keySet()) {
            b.append(String.format(" %12s", LABELS.getOrDefault(name, name)));
        }
        for (String[] ratio : ratios(results)) {
            b.append(String.format(" %10s", ratio[0]));
        }
        return b.append("   target").toString();
    }

    private static void row(List<String> lines, Map<String, Result> results, String label, String key, String format,
            String target) {
        StringBuilder b = new StringBuilder(String.format("%-44s", label));
        for (Result r : results.values()) {
            b.append(String.format(" %12s", cell(r, key, format)));
        }
        for (String[] ratio : ratios(results)) {
            b.append(String.format(" %10s", ratio(results.get(ratio[1]), results.get(ratio[2]), key)));
        }
        b.append("   ").append(target);
        lines.add(b.toString());
    }

    private static String cell(Result r, String key, String format) {
        if (r == null || Double.isNaN(r.get(key))) {
            return "-";
        }
        return String.format(Locale.ROOT, format, r.get(key));
    }

    private static String ratio(Result a, Result b, String key) {
        if (a == null || b == null || Double.isNaN(a.get(key)) || Double.isNaN(b.get(key)) || b.get(key) == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f×", a.get(key) / b.get(key));
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : (kb / 1024) + " MB";
    }

    static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    static void log(String server, String text) {
        System.out.printf("[%tT] %-7s %s%n", System.currentTimeMillis(), server, text);
    }

    static List<Pair> pairs(int from, int count) {
        List<Pair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new Pair(from + i));
        }
        return pairs;
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            return "node " + v + ", peer 1.0.2";
        } catch (IOException e) {
            return "no node";
        }
    }

    private static String cpus() {
        try {
            Process p = new ProcessBuilder("nproc", "--all").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    // -------------------------------------------------------------------------------------------- JFR

    /** Whether this server is profiled: Parley, on either container, with {@code -Dbench.jfr}. */
    private static boolean profiling(String name) {
        return JFR && name.startsWith("parley");
    }

    /** Runs {@code work}, under a JFR recording of a Parley server when {@code -Dbench.jfr} is set, and writes its hot spots. */
    private static <T> T profiled(ServerProcess server, String name, String phase, Callable<T> work) throws Exception {
        if (!profiling(name)) {
            return work.call();
        }
        Path jfr = Path.of("target", "bench", name + "-" + phase + ".jfr").toAbsolutePath();
        server.jcmd("JFR.start", "name=" + phase, "settings=profile", "filename=" + jfr);
        T result = work.call();
        server.jcmd("JFR.stop", "name=" + phase);
        Path summary = Path.of("target", "bench", name + "-" + phase + "-jfr.txt");
        Files.write(summary, jfrSummary(jfr));
        log(name, phase + " JFR recording " + jfr + ", hot spots in " + summary.toAbsolutePath());
        return result;
    }

    /** Top methods by own samples, own samples by package, and Parley's share of all stacks. */
    static List<String> jfrSummary(Path file) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> parleyInclusive = new HashMap<>();
        int total = 0;
        int withParley = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            RecordedFrame top = frames.get(0);
            String topName = top.getMethod().getType().getName() + "." + top.getMethod().getName();
            self.merge(topName, 1, Integer::sum);
            packages.merge(packageGroup(top.getMethod().getType().getName()), 1, Integer::sum);
            boolean parley = false;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                String type = f.getMethod().getType().getName();
                if (type.startsWith("dev.parley.")) {
                    parley = true;
                    String m = type + "." + f.getMethod().getName();
                    if (seen.add(m)) {
                        parleyInclusive.merge(m, 1, Integer::sum);
                    }
                }
            }
            if (parley) {
                withParley++;
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("JFR execution samples: %d; with a dev.parley frame on the stack: %d (%.1f%%)", total, withParley,
                100.0 * withParley / Math.max(1, total)));
        lines.add("");
        lines.add("Own time by package group:");
        top(packages, 15, total).forEach(lines::add);
        lines.add("");
        lines.add("Top methods by own time:");
        top(self, 30, total).forEach(lines::add);
        lines.add("");
        lines.add("Parley methods by inclusive time (on the stack):");
        top(parleyInclusive, 25, total).forEach(lines::add);
        return lines;
    }

    /**
     * What the heap gained between two histograms, per 1,000 sockets, largest first: which classes the container and
     * Parley keep per connection (a whole histogram is mostly the server's own start-up).
     */
    private static String histogramGrowth(Map<String, long[]> before, Map<String, long[]> after) {
        double thousands = N / 1000.0;
        List<String> lines = new ArrayList<>();
        lines.add(String.format("heap growth from the baseline to %,d connected, per 1,000 sockets (objects, KB), largest first", N));
        after.entrySet().stream()
                .map(e -> {
                    long[] b = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(50)
                .forEach(e -> lines.add(String.format("%10.0f %10.1f  %s", e.getValue()[0] / thousands,
                        e.getValue()[1] / 1024.0 / thousands, e.getKey())));
        long totalKb = ServerProcess.totalKb(after) - ServerProcess.totalKb(before);
        lines.add(String.format("%10s %10.1f  all classes", "", totalKb / thousands));
        return String.join("\n", lines) + "\n";
    }

    private static String packageGroup(String type) {
        String[] groups = {"dev.parley.", "org.glassfish.tyrus.", "org.glassfish.grizzly.", "org.eclipse.parsson.", "org.glassfish.json.",
                "com.sun.enterprise.", "org.glassfish.", "fish.payara.", "org.h2.", "org.eclipse.persistence.", "org.hibernate.", "io.undertow.", "org.xnio.", "java.util.concurrent.",
                "java.util.", "java.lang.", "java.nio.", "sun.nio.", "jdk.internal.", "java.io.", "sun.", "jdk."};
        for (String g : groups) {
            if (type.startsWith(g)) {
                return g + "*";
            }
        }
        return type.contains(".") ? type.substring(0, type.lastIndexOf('.')) + ".*" : type;
    }

    private static List<String> top(Map<String, Integer> counts, int n, int total) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(e -> String.format("  %6.2f%%  %s", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
                .collect(Collectors.toList());
    }

    // -------------------------------------------------------------------------------------------- frames

    /** A Chrome-like SDP of about {@code size} bytes with the benchmark's marker on its second line. */
    static String sdp(String type, int size) {
        StringBuilder s = new StringBuilder();
        s.append("v=0\r\na=bench:?").append(WsLoad.TS_HOLE).append("\r\n")
                .append("o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n")
                .append("a=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:EsAw\r\na=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n")
                .append("a=ice-options:trickle\r\na=fingerprint:sha-256 ")
                .append("D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n")
                .append("a=setup:").append(type.equals("offer") ? "actpass" : "active").append("\r\na=mid:0\r\n")
                .append("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n")
                .append("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n")
                .append("a=sendrecv\r\na=msid:stream audio-track\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n")
                .append("a=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n")
                .append("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101\r\n");
        int pt = 96;
        while (s.length() < size - 40) {
            s.append("a=rtpmap:").append(pt).append(" VP8/90000\r\na=rtcp-fb:").append(pt)
                    .append(" goog-remb\r\na=rtcp-fb:").append(pt).append(" nack pli\r\n");
            pt++;
        }
        while (s.length() < size) {
            s.append("a=x\r\n");
        }
        return s.toString();
    }

    static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }

    static final String OFFER_SDP = json(sdp("offer", 3000));
    static final String ANSWER_SDP = json(sdp("answer", 2900));
    static final String[] CANDIDATES = new String[8];

    static {
        String[] kinds = {
            "1467250027 1 udp 2122260223 192.168.1.23 46243 typ host generation 0",
            "1467250027 2 udp 2122260222 192.168.1.23 47012 typ host generation 0",
            "435653019 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active generation 0",
            "842163049 1 udp 1686052607 203.0.113.7 46154 typ srflx raddr 192.168.1.23 rport 46243 generation 0",
            "3745136562 1 udp 41885439 198.51.100.4 61310 typ relay raddr 203.0.113.7 rport 46154 generation 0",
            "2999745851 1 udp 2122194687 10.0.2.15 52361 typ host generation 0",
            "1052593023 1 tcp 1518214911 10.0.2.15 9 typ host tcptype active generation 0",
            "3745136563 1 tcp 25108223 198.51.100.4 443 typ relay raddr 203.0.113.7 rport 46155 generation 0",
        };
        for (int i = 0; i < 8; i++) {
            CANDIDATES[i] = "{\"candidate\":\"candidate:" + kinds[i] + " ufrag EsAw network-id 1 network-cost 10 bench:?"
                    + WsLoad.TS_HOLE + "\",\"sdpMid\":\"" + (i % 2) + "\",\"sdpMLineIndex\":" + (i % 2)
                    + ",\"usernameFragment\":\"EsAw\"}";
        }
    }

    /** Parley's wire contract (PROTOCOL.md §1): join a room, then offer/answer/candidate without {@code to}. */
    static final Negotiation PARLEY_FRAMES = new Negotiation(
            new Template("{\"type\":\"offer\",\"sdp\":\"" + OFFER_SDP + "\"}"),
            new Template("{\"type\":\"answer\",\"sdp\":\"" + ANSWER_SDP + "\"}"),
            candidates("{\"type\":\"candidate\",\"candidate\":%s}"));

    static final Protocol PARLEY = new Protocol("parley", true, PARLEY_FRAMES) {
        @Override
        String target(Pair pair, boolean second) {
            return "/signal";
        }

        @Override
        byte[] join(Pair pair) {
            return ("{\"type\":\"join\",\"room\":\"" + pair.room() + "\",\"name\":\"Bench\"}").getBytes();
        }
    };

    /** The bare relay forwards what it gets: the same frames as Parley's, the room in the handshake. */
    static final Protocol RELAY = new Protocol("relay", true, PARLEY_FRAMES) {
        @Override
        String target(Pair pair, boolean second) {
            return "/relay?room=" + pair.room();
        }
    };

    /** The same relay over the Servlet HTTP upgrade ({@link UpgradeRelayServlet}): same frames, its own path. */
    static final Protocol RELAY_UPGRADE = new Protocol("relay-upgrade", true, PARLEY_FRAMES) {
        @Override
        String target(Pair pair, boolean second) {
            return "/relay-upgrade?room=" + pair.room();
        }
    };

    /** PeerJS as its browser client speaks it: id and token in the handshake, {type, payload, dst} frames. */
    static final Protocol PEERJS = new Protocol("peerjs", false, new Negotiation(
            new Template("{\"type\":\"OFFER\",\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\""
                + OFFER_SDP + "\"},\"type\":\"media\",\"connectionId\":\"mc_bench0123\"},\"dst\":\"" + WsLoad.DST_HOLE + "\"}"),
            new Template("{\"type\":\"ANSWER\",\"payload\":{\"sdp\":{\"type\":\"answer\",\"sdp\":\""
                + ANSWER_SDP + "\"},\"type\":\"media\",\"connectionId\":\"mc_bench0123\"},\"dst\":\"" + WsLoad.DST_HOLE + "\"}"),
            candidates("{\"type\":\"CANDIDATE\",\"payload\":{\"candidate\":%s,\"type\":\"media\","
                + "\"connectionId\":\"mc_bench0123\"},\"dst\":\"" + WsLoad.DST_HOLE + "\"}"))) {
        final byte[] heartbeat = "{\"type\":\"HEARTBEAT\"}".getBytes();

        @Override
        String target(Pair pair, boolean second) {
            return "/peerjs?key=peerjs&id=" + (second ? pair.idB : pair.idA) + "&token="
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
        }

        @Override
        byte[] heartbeat() {
            return heartbeat;
        }
    };

    private static Template[] candidates(String format) {
        Template[] t = new Template[8];
        for (int i = 0; i < 8; i++) {
            t[i] = new Template(String.format(format, CANDIDATES[i]));
        }
        return t;
    }
}
