package dev.parley.bench;

import dev.parley.it.support.Api;
import dev.parley.it.support.Browser;
import dev.parley.it.support.PayaraServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Call set-up in real browsers: two headless Chromium pages (fake camera and microphone) in one room on Parley
 * (Payara Micro, loopback, default settings; with {@code -Dbench.pin=true} Parley on one CPU, the browsers on another),
 * the first calling the second {@code -Dbench.calls} times (20), the
 * second answering the moment its ringing panel shows. Each page records, on the machine's one clock
 * ({@code performance.timeOrigin + performance.now()}), when each signaling frame left or arrived and when its peer
 * connection reached {@code connected}. Per call:
 *
 * <ul>
 * <li>set-up: caller's {@code offer} sent → caller's {@code connectionState == 'connected'} (and → both connected);
 * <li>in flight: offer and answer from the sending page's {@code ws.send} to the receiving page's {@code message}
 * event (both browsers' WebSocket stacks, loopback TCP and the server);
 * <li>in the server: Parley's own time per relayed frame, receipt to queued for the peer, from {@code /api/metrics}
 * ({@code parley_relay_latency_seconds}), over every frame relayed during the measured calls;
 * <li>the callee's time between the offer arriving and its answer leaving (ringing panel, accept, {@code createAnswer}).
 * </ul>
 *
 * <p>Run: {@code mvn -B -DskipTests package org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.parley.bench.CallSetupBenchmark -Dexec.classpathScope=test} (Chromium and ChromeDriver as for
 * the browser tests; about a minute). Prints the figures and writes them to {@code target/bench/call-setup.txt}.
 */
public final class CallSetupBenchmark {

    private static final int CALLS = Integer.getInteger("bench.calls", 20);
    private static final int WARMUP_CALLS = Integer.getInteger("bench.warmupCalls", 5);
    /** With {@code -Dbench.pin=true}: Parley's CPU, and the CPU of this process and the browsers it starts. */
    private static final boolean PIN = Boolean.getBoolean("bench.pin");
    private static final String SERVER_CPU = System.getProperty("bench.serverCpu", "1");
    private static final String CLIENT_CPU = System.getProperty("bench.clientCpu", "0");

    /**
     * Installed in each page before it joins: timestamps every signaling frame sent and received, and every peer
     * connection reaching {@code connected}; on the callee it also presses Accept as soon as the ringing panel shows.
     */
    private static final String PROBE = """
            if (!window.__bench) {
              const now = () => performance.timeOrigin + performance.now();
              const log = [];
              window.__bench = log;
              const typeOf = (data) => { try { return JSON.parse(data).type; } catch (e) { return '?'; } };
              const Socket = window.WebSocket;
              window.WebSocket = class extends Socket {
                constructor(...args) {
                  super(...args);
                  this.addEventListener('message', (e) => log.push({ at: now(), dir: 'in', type: typeOf(e.data) }));
                }
                send(data) { log.push({ at: now(), dir: 'out', type: typeOf(data) }); super.send(data); }
              };
              const Peer = window.RTCPeerConnection;
              window.RTCPeerConnection = class extends Peer {
                constructor(...args) {
                  super(...args);
                  this.addEventListener('connectionstatechange', () => {
                    if (this.connectionState === 'connected') log.push({ at: now(), dir: 'pc', type: 'connected' });
                  });
                }
              };
              if (arguments[0]) {
                const incoming = document.getElementById('incoming');
                new MutationObserver(() => { if (!incoming.hidden) document.getElementById('accept').click(); })
                    .observe(incoming, { attributes: true });
              }
            }
            """;

    public static void main(String[] args) throws Exception {
        if (!Browser.available()) {
            System.err.println("Chromium and ChromeDriver are required: apt-get install chromium chromium-driver");
            System.exit(2);
        }
        Path data = Files.createTempDirectory("parley-bench-calls");
        List<double[]> calls = new ArrayList<>();
        Histogram server;
        try (PayaraServer parley = PayaraServer.start("call-setup", Map.of(
                "parley.admin.token", Api.ADMIN_TOKEN, "parley.data.dir", data.toString()));
             Browser caller = pinned(parley); Browser callee = new Browser()) {
            String room = "bench-" + Long.toString(System.nanoTime(), 36);
            join(caller, parley, "Caller", room, false);
            join(callee, parley, "Callee", room, true);
            caller.await(d -> caller.find("#call").isEnabled());
            for (int i = 0; i < WARMUP_CALLS; i++) {
                oneCall(caller, callee);
            }
            Histogram before = relayLatency(parley);
            for (int i = 0; i < CALLS; i++) {
                double[] call = oneCall(caller, callee);
                calls.add(call);
                System.out.printf(Locale.ROOT, "call %2d: set-up %.1f ms (both connected %.1f), offer in flight %.2f ms,"
                        + " answer %.2f ms, callee %.1f ms%n", i + 1, call[0], call[1], call[2], call[3], call[4]);
            }
            server = relayLatency(parley).minus(before);
        }
        ServerProcess.publish(report(calls, server), "call-setup.txt");
        System.exit(0);
    }

    /**
     * With {@code -Dbench.pin=true}, pins Parley's threads to {@code bench.serverCpu} and this process's to
     * {@code bench.clientCpu} (ChromeDriver and Chromium, started after, inherit it), so that Parley's own figures are
     * not those of a server waiting for a CPU the browsers' video coding holds; then starts the first browser.
     */
    private static Browser pinned(PayaraServer parley) throws Exception {
        if (PIN) {
            taskset(SERVER_CPU, parley.pid());
            taskset(CLIENT_CPU, ProcessHandle.current().pid());
        }
        return new Browser();
    }

    private static void taskset(String cpu, long pid) throws Exception {
        Process p = new ProcessBuilder("taskset", "-a", "-cp", cpu, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            System.err.println("warning: could not pin process " + pid + " to CPU " + cpu);
        }
    }

    private static void join(Browser browser, PayaraServer parley, String name, String room, boolean answers) {
        browser.open(parley.base().toString());
        browser.script(PROBE, answers);
        browser.joinRoom(name, room);
    }

    /**
     * One call, then its hang-up; returns {set-up, set-up until both connected, offer in flight, answer in flight,
     * callee's time from offer to answer}, in ms.
     */
    private static double[] oneCall(Browser caller, Browser callee) throws InterruptedException {
        caller.script("window.__bench.length = 0");
        callee.script("window.__bench.length = 0");
        caller.click("#call");
        caller.await(d -> connected(caller) && connected(callee));
        double offerOut = first(caller, "out", "offer");
        double answerIn = first(caller, "in", "answer");
        double callerConnected = first(caller, "pc", "connected");
        double offerIn = first(callee, "in", "offer");
        double answerOut = first(callee, "out", "answer");
        double calleeConnected = first(callee, "pc", "connected");
        caller.click("#hangup");
        caller.await(d -> caller.find("#call").isEnabled());
        callee.await(d -> callee.find("#call").isEnabled());
        TimeUnit.MILLISECONDS.sleep(500); // both pages close their peer connections before the next call
        return new double[] {callerConnected - offerOut, Math.max(callerConnected, calleeConnected) - offerOut,
                offerIn - offerOut, answerIn - answerOut, answerOut - offerIn};
    }

    private static boolean connected(Browser page) {
        return first(page, "pc", "connected") > 0;
    }

    private static double first(Browser page, String dir, String type) {
        Object at = page.script("const e = window.__bench.find(e => e.dir === arguments[0] && e.type === arguments[1]);"
                + "return e ? e.at : -1", dir, type);
        return ((Number) at).doubleValue();
    }

    /** Parley's relay latency histogram so far: cumulative counts by upper bound in seconds (+Inf last), and the sum. */
    private static Histogram relayLatency(PayaraServer parley) {
        Histogram h = new Histogram();
        for (String line : new Api(parley.base()).adminGet("api/metrics").body().split("\n")) {
            String value = line.substring(line.lastIndexOf(' ') + 1).trim();
            if (line.startsWith("parley_relay_latency_seconds_bucket{le=\"")) {
                String le = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
                h.bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
                h.cumulative.add(Double.parseDouble(value));
            } else if (line.startsWith("parley_relay_latency_seconds_sum ")) {
                h.sum = Double.parseDouble(value);
            }
        }
        return h;
    }

    /** A Prometheus histogram read from the text format; {@link #minus} gives what was added between two readings. */
    private static final class Histogram {
        final List<Double> bounds = new ArrayList<>();
        final List<Double> cumulative = new ArrayList<>();
        double sum;

        Histogram minus(Histogram earlier) {
            Histogram d = new Histogram();
            d.bounds.addAll(bounds);
            for (int i = 0; i < cumulative.size(); i++) {
                d.cumulative.add(cumulative.get(i) - earlier.cumulative.get(i));
            }
            d.sum = sum - earlier.sum;
            return d;
        }

        double count() {
            return cumulative.isEmpty() ? 0 : cumulative.get(cumulative.size() - 1);
        }

        /** The upper bound, in ms, of the bucket holding quantile q. */
        double quantileBoundMs(double q) {
            for (int i = 0; i < cumulative.size(); i++) {
                if (cumulative.get(i) >= q * count()) {
                    return bounds.get(i) * 1000;
                }
            }
            return Double.NaN;
        }
    }

    private static List<String> report(List<double[]> calls, Histogram server) {
        double[] setup = column(calls, 0);
        double[] both = column(calls, 1);
        double[] offer = column(calls, 2);
        double[] answer = column(calls, 3);
        double[] callee = column(calls, 4);
        double[] flight = new double[calls.size()];
        for (int i = 0; i < flight.length; i++) {
            flight[i] = offer[i] + answer[i];
        }
        double serverMsPerFrame = server.count() > 0 ? server.sum * 1000 / server.count() : Double.NaN;
        double framesPerCall = server.count() / calls.size();
        double medianSetup = median(setup);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Call set-up in Chromium %s, %d calls on loopback, %s (median / p90 / max, ms)",
                Browser.CHROMIUM, calls.size(), !PIN ? "unpinned"
                        : "Parley pinned to CPU " + SERVER_CPU + ", both browsers to CPU " + CLIENT_CPU));
        lines.add(row("offer sent → caller connected", setup));
        lines.add(row("offer sent → both connected", both));
        lines.add(row("offer in flight (page to page)", offer));
        lines.add(row("answer in flight (page to page)", answer));
        lines.add(row("offer + answer in flight", flight));
        lines.add(row("callee: offer in → answer out", callee));
        lines.add(String.format(Locale.ROOT, "Parley's own time per relayed frame (receipt to queued for the peer): mean %.3f ms,"
                + " median ≤ %s ms, p90 ≤ %s ms; %.1f frames relayed per call (offer, answer, candidates, hang-up)",
                serverMsPerFrame, plain(server.quantileBoundMs(0.5)), plain(server.quantileBoundMs(0.9)), framesPerCall));
        lines.add(String.format(Locale.ROOT, "share of the median set-up: offer + answer in flight %.1f %%; Parley's own"
                + " time on those two frames %.2f %%", 100 * median(flight) / medianSetup, 100 * 2 * serverMsPerFrame / medianSetup));
        return lines;
    }

    private static String plain(double ms) {
        return java.math.BigDecimal.valueOf(ms).stripTrailingZeros().toPlainString();
    }

    private static String row(String label, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "  %-34s %8.2f %8.2f %8.2f", label, median(values),
                sorted[(int) Math.ceil(0.9 * sorted.length) - 1], sorted[sorted.length - 1]);
    }

    private static double[] column(List<double[]> rows, int i) {
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
