package dev.parley.bench;

import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.WildFlyServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test as a child process pinned to one CPU with {@code taskset}: Payara Micro with a WAR (Parley or
 * the bare relay), or the PeerJS server on Node. Reads its CPU time and resident memory from {@code /proc}, and
 * (JVMs only) its heap after a full GC and JFR recordings through {@code jcmd}.
 */
final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final long CLOCK_TICKS = clockTicks();

    final String name;
    final int port;
    final Path log;
    private final Process process;
    private final boolean jvm;
    /** The process whose CPU and memory are measured: the server's JVM, a child of the launch script on WildFly. */
    private volatile long measuredPid;
    /** A server base directory of this run only (WildFly), deleted with the server; null otherwise. */
    private Path scratch;

    private ServerProcess(String name, int port, Path log, Process process, boolean jvm) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.jvm = jvm;
        this.measuredPid = process.pid();
    }

    /** {@code bench.jvmOptions}: more options for every JVM server of the run (a collector's settings, say). */
    private static List<String> extraJvmOptions() {
        String options = System.getProperty("bench.jvmOptions", "").strip();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** Payara Micro, as the integration tests run it (loopback, data grid off, WAR at /), plus taskset and heap size. */
    static ServerProcess payara(String name, Path war, String cpu, String xmx, Map<String, String> properties,
            String readyPath) throws IOException, InterruptedException {
        int port = PayaraServer.freePort();
        Path root = Files.createTempDirectory("parley-bench-" + name);
        Path log = Path.of("target", "bench", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("taskset", "-c", cpu,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
                // Pinned to one CPU the JVM would pick the serial GC; run the collector a server gets on any 2+ CPUs.
                "-XX:+Use" + System.getProperty("bench.gc", "G1") + "GC",
                "-Dh2.bindAddress=127.0.0.1", "-Djava.io.tmpdir=" + root.resolve("tmp")));
        command.addAll(extraJvmOptions());
        Files.createDirectories(root.resolve("tmp"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--nohazelcast",
                "--prebootcommandfile", System.getProperty("parley.preboot", "src/main/payara/preboot-loopback.asadmin"),
                "--rootdir", root.resolve("root").toString(),
                "--port", Integer.toString(port),
                "--contextroot", "/",
                "--deploy", war.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return started(new ServerProcess(name, port, log, process, true), readyPath, Duration.ofSeconds(240));
    }

    /**
     * WildFly ({@code standalone-microprofile.xml}, Undertow) with the WAR as {@code ROOT.war}, in a base directory of
     * its own, loopback only, ports shifted by a free offset, the same heap and collector as Payara. Ready when the
     * deployment scanner has deployed the WAR and, for Parley ({@code parleyHealth}), its readiness check is UP.
     */
    static ServerProcess wildfly(String name, Path war, String cpu, String xmx, Map<String, String> properties,
            boolean parleyHealth) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("wildfly.home", "target/wildfly-39.0.1.Final")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/standalone.sh"))) {
            throw new IllegalStateException("No WildFly at " + home + " (mvn verify, or mvn package -DskipTests, unpacks it)");
        }
        Path base = Files.createTempDirectory("parley-bench-" + name);
        WildFlyServer.copyTree(home.resolve("standalone"), base);
        // A container knob, for every WildFly server of the run: e.g. dispatch-to-worker="false".
        WildFlyServer.websockets(base, System.getProperty("bench.wildfly.websockets", ""));
        Files.copy(war, base.resolve("deployments/ROOT.war"));
        int offset = WildFlyServer.freeOffset();
        int port = 8080 + offset;
        Path log = Path.of("target", "bench", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("taskset", "-c", cpu));
        command.addAll(WildFlyServer.standalone(home, base, offset));
        command.add("-Dparley.data.dir=" + base.resolve("data/parley"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        ProcessBuilder builder = WildFlyServer.processBuilder(command, log);
        // Replaces standalone.conf's defaults (which set -Xmx512m) with the benchmark's heap and collector.
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx" + xmx + " -XX:+Use" + System.getProperty("bench.gc", "G1")
                + "GC -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -Djava.net.preferIPv4Stack=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true "
                + String.join(" ", extraJvmOptions()));
        ServerProcess server = new ServerProcess(name, port, log, builder.start(), true);
        server.scratch = base;
        LIVE.add(server);
        try {
            Path deployed = base.resolve("deployments/ROOT.war.deployed");
            Path failed = base.resolve("deployments/ROOT.war.failed");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.exists(deployed)) {
                if (Files.exists(failed) || !server.process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not deploy; see " + log.toAbsolutePath());
                }
                Thread.sleep(250);
            }
            if (parleyHealth) {
                // MicroProfile Health is on WildFly's management port; its readiness includes Parley's own check.
                server.awaitHttp(9990 + offset, "/health/ready", Duration.ofSeconds(60));
            }
            server.measuredPid = server.process.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .mapToLong(ProcessHandle::pid).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JVM under WildFly's launch script"));
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The PeerJS server of {@code bench/peerjs} (npm {@code peer}); installs its node_modules on first use. */
    static ServerProcess peerjs(Path dir, String cpu) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("peer"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(dir.toFile())
                    .inheritIO().start();
            if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install failed in " + dir);
            }
        }
        int port = PayaraServer.freePort();
        Path log = Path.of("target", "bench", "peerjs-" + port + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder("taskset", "-c", cpu, "node", "server.js", Integer.toString(port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return started(new ServerProcess("peerjs", port, log, process, false), "/peerjs/id", Duration.ofSeconds(60));
    }

    /** Every server still running, stopped by a shutdown hook if the benchmark ends early. */
    private static final java.util.Set<ServerProcess> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(s -> {
            s.process.descendants().forEach(ProcessHandle::destroyForcibly);
            s.process.destroyForcibly();
        })));
    }

    private static ServerProcess started(ServerProcess server, String readyPath, Duration timeout) throws InterruptedException {
        LIVE.add(server);
        try {
            server.awaitHttp(readyPath, timeout);
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    long pid() {
        return measuredPid;
    }

    /** User plus system CPU time of the whole process so far, in nanoseconds (clock-tick resolution). */
    long cpuNanos() {
        return cpuNanos(measuredPid);
    }

    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3, utime 14, stime 15.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long selfCpuNanos() {
        return cpuNanos(ProcessHandle.current().pid());
    }

    /** Resident memory in KiB. */
    long rssKb() {
        return PayaraServer.rssKb(measuredPid);
    }

    /**
     * The live heap by class, in instances and bytes (the histogram runs a full GC and counts in the same pause); empty
     * for a non-JVM server. Not {@code GC.run} then {@code GC.heap_info}: the second jcmd starts a second JVM, and what
     * the server allocates meanwhile (Parley's heartbeat: a few thousand frames a second) is counted as heap in use.
     */
    Map<String, long[]> liveHeap() throws IOException, InterruptedException {
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : jcmd("GC.class_histogram").lines().toList()) {
            String[] f = line.trim().split("\\s+"); // "  1:   12345   678900  java.lang.String (java.base@17)"
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}); // a class loaded twice is listed twice
            }
        }
        return byClass;
    }

    /** The bytes of a {@link #liveHeap} reading, in KiB; -1 if there is none (not a JVM, or jcmd failed). */
    static long totalKb(Map<String, long[]> liveHeap) {
        return liveHeap.isEmpty() ? -1 : liveHeap.values().stream().mapToLong(v -> v[1]).sum() / 1024;
    }

    String jcmd(String... arguments) throws IOException, InterruptedException {
        if (!jvm) {
            return "";
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(measuredPid)));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        LIVE.remove(this);
        WildFlyServer.stopTree(process, Duration.ofSeconds(30)); // on WildFly, its JVM under the launch script too
        if (scratch != null) {
            WildFlyServer.deleteTree(scratch);
        }
    }

    private void awaitHttp(String path, Duration timeout) throws InterruptedException {
        awaitHttp(port, path, timeout);
    }

    private void awaitHttp(int port, String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            try (InputStream in = p.getInputStream()) {
                return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
            }
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    /** A WAR holding the given classes (found on this class path) and jars, for Payara to deploy. */
    static Path warOf(Path war, List<Path> libs, Class<?>... classes) throws IOException {
        Files.createDirectories(war.getParent());
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            for (Path lib : libs) {
                zip.putNextEntry(new java.util.zip.ZipEntry("WEB-INF/lib/" + lib.getFileName()));
                Files.copy(lib, zip);
                zip.closeEntry();
            }
            addClasses(zip, classes);
        }
        return war;
    }

    /** Each class and its nested classes, under {@code WEB-INF/classes}. */
    private static void addClasses(java.util.zip.ZipOutputStream zip, Class<?>... classes) throws IOException {
        for (Class<?> c : classes) {
            String entry = c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
                zip.putNextEntry(new java.util.zip.ZipEntry("WEB-INF/classes/" + entry));
                in.transferTo(zip);
                zip.closeEntry();
            }
            addClasses(zip, c.getDeclaredClasses());
        }
    }

    /** Prints a benchmark's report and writes it to {@code target/bench/<file>}. */
    static void publish(List<String> lines, String file) throws IOException {
        Path out = Path.of("target", "bench", file);
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        System.out.println();
        lines.forEach(System.out::println);
        System.out.println("\n(written to " + out.toAbsolutePath() + ")");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
