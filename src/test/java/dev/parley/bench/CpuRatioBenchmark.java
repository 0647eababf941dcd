package dev.parley.bench;

import static dev.parley.bench.SignalingBenchmark.CLOSED_PAIRS;
import static dev.parley.bench.SignalingBenchmark.N;
import static dev.parley.bench.SignalingBenchmark.SECONDS;
import static dev.parley.bench.SignalingBenchmark.log;

import dev.parley.bench.WsLoad.Pair;
import dev.parley.bench.WsLoad.Stats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Server CPU per relayed message of two servers (by default Parley and the bare relay, both on WildFly), measured in
 * alternating windows while both are up, so that the ratio is not the machine's drift. Run one after the other, as
 * {@link SignalingBenchmark} runs them, the same server's CPU per message moved by a quarter between runs on a shared
 * VM, more than the difference being judged (the target: Parley within 1.2× of the relay).
 *
 * <p>Both servers start, pinned to the same CPU, and each gets its warm-up and N sockets in pairs with a call set up
 * (Parley's history written). Then each round runs, for each server in turn (A B, then B A the next round, so a drift
 * within a round falls on both alike): server CPU over an idle window of {@code bench.idleSeconds} with N connected,
 * then a closed loop of {@code bench.closedPairs} pairs for {@code bench.seconds}. The other server idles meanwhile on
 * the same CPU; only the measured server's own CPU time counts. Printed per round and as the median and range over
 * {@code bench.rounds} rounds: µs per message, the same less the server's idle CPU, messages/s, and the ratios.
 *
 * <p>Run (WildFly unpacked first, as for the signaling benchmark):
 * {@code mvn -B -DskipTests dependency:unpack@wildfly package org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.parley.bench.CpuRatioBenchmark -Dexec.classpathScope=test -Dbench.connections=10000
 * -Dbench.xmx=1g [-Dbench.pair=parley-wildfly,relay-wildfly] [-Dbench.rounds=5]}. Other options as for
 * {@link SignalingBenchmark}. Writes {@code target/bench/cpu-ratio.txt}.
 */
public final class CpuRatioBenchmark {

    private static final List<String> PAIR = List.of(System.getProperty("bench.pair", "parley-wildfly,relay-wildfly")
            .split(","));
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 10);

    /** One server under load: its process, its load generator and the pairs that run its closed loops. */
    private record Side(String name, ServerProcess server, WsLoad load, List<Pair> busy) {
    }

    /** One server's figures in one round. */
    private record Figures(double microsPerMessage, double microsLessIdle, double messagesPerSecond, double idlePercent) {
    }

    public static void main(String[] args) throws Exception {
        if (PAIR.size() != 2) {
            throw new IllegalArgumentException("-Dbench.pair names two servers, e.g. parley-wildfly,relay-wildfly");
        }
        Thread watchdog = SignalingBenchmark.watchdog("CPU ratio benchmark");
        SignalingBenchmark.pinSelf();
        List<Side> sides = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (String name : PAIR) {
                sides.add(prepare(name.trim()));
            }
            Figures[][] figures = new Figures[ROUNDS][2];
            for (int round = 0; round < ROUNDS; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    int side = round % 2 == 0 ? turn : 1 - turn;
                    figures[round][side] = measure(sides.get(side));
                }
                log("round " + (round + 1), line(figures[round]));
            }
            lines.addAll(report(figures));
        } finally {
            for (Side side : sides) {
                side.load().close();
                side.server().close();
            }
        }
        ServerProcess.publish(lines, "cpu-ratio.txt");
        watchdog.interrupt();
        System.exit(0);
    }

    /** Starts one server, warms it up and connects its N sockets with a call set up in every pair, then lets it settle. */
    private static Side prepare(String name) throws Exception {
        ServerProcess server = SignalingBenchmark.start(name);
        WsLoad load = new WsLoad(SignalingBenchmark.protocolOf(name), new InetSocketAddress("127.0.0.1", server.port),
                SignalingBenchmark.LOOPS);
        SignalingBenchmark.warmUp(load);
        List<Pair> pairs = SignalingBenchmark.pairs(0, N / 2);
        Stats connected = SignalingBenchmark.connectAll(load, pairs);
        load.setupCalls(pairs, SignalingBenchmark.deadline(60));
        Thread.sleep(10_000);
        if (name.startsWith("parley")) {
            SignalingBenchmark.awaitHistoryWritten(server);
        }
        SignalingBenchmark.awaitSteady(server);
        log(name, String.format("up with %,d of %,d sockets, pid %d", connected.connectsOk, N, server.pid()));
        return new Side(name, server, load, SignalingBenchmark.closedLoopPairs(pairs));
    }

    private static Figures measure(Side side) throws InterruptedException {
        long idle0 = side.server().cpuNanos();
        Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
        double idlePerSecond = (side.server().cpuNanos() - idle0) / (double) IDLE_SECONDS;
        SignalingBenchmark.Window window = new SignalingBenchmark.Window(side.server());
        Stats closed = side.load().closedLoop(side.busy(), TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(SECONDS),
                window);
        double messages = closed.receivedInWindow;
        return new Figures(window.serverCpu() / 1000.0 / messages,
                (window.serverCpu() - idlePerSecond * SECONDS) / 1000.0 / messages, messages / SECONDS,
                100 * idlePerSecond / TimeUnit.SECONDS.toNanos(1));
    }

    private static String line(Figures[] round) {
        return String.format("%s %.1f µs/msg (%.1f less idle, %,.0f msgs/s, idle %.1f%%), %s %.1f (%.1f, %,.0f, %.1f%%): "
                        + "%.2f× (%.2f× less idle)",
                PAIR.get(0), round[0].microsPerMessage(), round[0].microsLessIdle(), round[0].messagesPerSecond(),
                round[0].idlePercent(), PAIR.get(1), round[1].microsPerMessage(), round[1].microsLessIdle(),
                round[1].messagesPerSecond(), round[1].idlePercent(),
                round[0].microsPerMessage() / round[1].microsPerMessage(),
                round[0].microsLessIdle() / round[1].microsLessIdle());
    }

    private static List<String> report(Figures[][] figures) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("CPU ratio benchmark: %s against %s, N = %,d sockets each, both up and pinned to CPU %s, "
                        + "load generator on CPU %s; JVM servers -Xmx%s; %d rounds of a %d s idle window and a %d s closed loop "
                        + "of %d pairs each, in turn; load average at the end: %s", PAIR.get(0), PAIR.get(1), N,
                SignalingBenchmark.SERVER_CPU, SignalingBenchmark.CLIENT_CPU, SignalingBenchmark.XMX, figures.length,
                IDLE_SECONDS, SECONDS, CLOSED_PAIRS, SignalingBenchmark.loadAverage()));
        for (int round = 0; round < figures.length; round++) {
            lines.add(String.format("  round %d: %s", round + 1, line(figures[round])));
        }
        lines.add(summary("µs per message, " + PAIR.get(0), figures, f -> f[0].microsPerMessage()));
        lines.add(summary("µs per message, " + PAIR.get(1), figures, f -> f[1].microsPerMessage()));
        lines.add(summary("ratio", figures, f -> f[0].microsPerMessage() / f[1].microsPerMessage()));
        lines.add(summary("ratio less each server's idle CPU", figures, f -> f[0].microsLessIdle() / f[1].microsLessIdle()));
        lines.add(summary("msgs/s ratio", figures, f -> f[0].messagesPerSecond() / f[1].messagesPerSecond()));
        lines.add(summary("idle CPU % of a core, " + PAIR.get(0), figures, f -> f[0].idlePercent()));
        lines.add(summary("idle CPU % of a core, " + PAIR.get(1), figures, f -> f[1].idlePercent()));
        return lines;
    }

    private interface Of {
        double of(Figures[] round);
    }

    /** Median and range over the rounds. */
    private static String summary(String what, Figures[][] figures, Of of) {
        double[] values = Arrays.stream(figures).mapToDouble(of::of).sorted().toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        return String.format("%-40s median %.2f, range %.2f–%.2f", what, median, values[0], values[n - 1]);
    }
}
