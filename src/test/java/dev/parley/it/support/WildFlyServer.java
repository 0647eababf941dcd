package dev.parley.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real WAR, unchanged, on WildFly ({@code standalone-microprofile.xml}) in a child process: loopback
 * only, every port shifted by a free offset, a fresh server base directory (configuration, deployments, data,
 * logs) per run copied from the unpacked distribution's {@code standalone/}, the WAR deployed as
 * {@code ROOT.war} (context root {@code /}), readiness taken from MicroProfile Health on the management port,
 * and always stopped.
 */
public final class WildFlyServer implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    /** Default ports of {@code standalone-microprofile.xml}'s socket bindings; the offset shifts them all. */
    private static final int[] PORTS = {8080, 8443, 8009, 9990, 9993, 4712, 4713};
    private static final int HTTP = 8080;
    private static final int MANAGEMENT = 9990;

    private final Process process;
    private final int offset;
    private final Path baseDir;
    private final Path log;

    private WildFlyServer(Process process, int offset, Path baseDir, Path log) {
        this.process = process;
        this.offset = offset;
        this.baseDir = baseDir;
        this.log = log;
    }

    /**
     * Starts WildFly with the WAR at {@code /}, the given system properties ({@code -D} on the command line) and
     * environment variables (how a deployment chooses its database: {@code PARLEY_DB_URL} ...), and waits until
     * Parley's readiness check is UP.
     */
    public static WildFlyServer start(String name, Map<String, String> properties, Map<String, String> environment)
            throws IOException, InterruptedException {
        WildFlyServer server = launch(name, properties, environment);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static WildFlyServer launch(String name, Map<String, String> properties, Map<String, String> environment)
            throws IOException {
        Path home = Path.of(System.getProperty("wildfly.home", "target/wildfly-39.0.1.Final")).toAbsolutePath();
        Path script = home.resolve("bin/standalone.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("No WildFly at " + home + " (mvn verify unpacks it there)");
        }
        Path war = Path.of(System.getProperty("parley.war", "target/parley.war")).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("Build the WAR first (mvn verify does): " + war);
        }
        // Only standalone/ changes while a server runs; the rest of the distribution is shared read-only.
        Path baseDir = Files.createTempDirectory("parley-wildfly-" + name);
        copyTree(home.resolve("standalone"), baseDir);
        websockets(baseDir, System.getProperty("wildfly.websockets", ""));
        Files.copy(war, baseDir.resolve("deployments/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);

        int offset = freeOffset();
        Path log = Path.of("target", "it-servers", "wildfly-" + name + "-" + (HTTP + offset) + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = standalone(home, baseDir, offset);
        if (!properties.containsKey("parley.data.dir")) {
            command.add("-Dparley.data.dir=" + baseDir.resolve("data/parley")); // the embedded H2, thrown away with the run
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        ProcessBuilder builder = processBuilder(command, log);
        builder.environment().putAll(environment);
        return new WildFlyServer(builder.start(), offset, baseDir, log);
    }

    /**
     * Sets attributes of Undertow's {@code <websockets/>} in the server base directory's configuration, e.g.
     * {@code dispatch-to-worker="false"} (frames handled on the I/O threads); blank leaves WildFly's defaults.
     */
    public static void websockets(Path baseDir, String attributes) throws IOException {
        if (attributes.isBlank()) {
            return;
        }
        Path xml = baseDir.resolve("configuration/standalone-microprofile.xml");
        String config = Files.readString(xml);
        if (!config.contains("<websockets/>")) {
            throw new IllegalStateException("no <websockets/> in " + xml + " to set " + attributes + " on");
        }
        Files.writeString(xml, config.replace("<websockets/>", "<websockets " + attributes + "/>"));
    }

    /**
     * {@code standalone.sh} as every run here starts it: {@code standalone-microprofile.xml}, bound to loopback, its
     * own server base directory, ports shifted by {@code offset}, the embedded H2 listening on loopback only.
     */
    public static List<String> standalone(Path home, Path baseDir, int offset) {
        return new ArrayList<>(List.of("/bin/sh", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-microprofile.xml",
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.server.base.dir=" + baseDir,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.tx.node.id=" + ("parley-" + offset),
                "-Dh2.bindAddress=127.0.0.1"));
    }

    /** Runs {@code command} (from {@link #standalone}) on this JDK, output to {@code log}, never pausing for a key. */
    public static ProcessBuilder processBuilder(List<String> command, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("NOPAUSE", "true");
        return builder;
    }

    /** The test server's settings from {@code parley.it.jvm} (the Maven property Payara gets too): its -D options. */
    public static Map<String, String> itSettings() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String option : System.getProperty("parley.it.jvm", "-Dparley.admin.token=" + Api.ADMIN_TOKEN).trim().split("\\s+")) {
            if (option.startsWith("-D") && option.contains("=")) {
                settings.put(option.substring(2, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            }
        }
        return settings;
    }

    public Path baseDir() {
        return baseDir;
    }

    public URL base() {
        return url(HTTP, "/");
    }

    /** The management interface's root (MicroProfile Health lives there on WildFly: {@code health/ready}). */
    public URL management() {
        return url(MANAGEMENT, "/");
    }

    /** The server log so far ("" if unreadable). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Stops the server: SIGTERM to the JVM (WildFly shuts down gracefully), then to the launch script; whatever is
     * left after 60 s is killed. The temporary base directory goes too (the log stays under target/it-servers).
     */
    @Override
    public void close() throws InterruptedException {
        stopTree(process, Duration.ofSeconds(60));
        deleteTree(baseDir);
    }

    /**
     * SIGTERM to a process and everything under it (a launch script and its JVM), then SIGKILL to whatever is left
     * after {@code grace}.
     */
    public static void stopTree(Process process, Duration grace) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI ready = URI.create(management() + "health/ready");
        Path failed = baseDir.resolve("deployments/ROOT.war.failed");
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly exited during start-up; see " + log.toAbsolutePath());
            }
            if (Files.exists(failed)) {
                throw new IllegalStateException("WildFly failed to deploy the WAR: " + read(failed) + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                // UP with Parley's own check in it: the WAR is deployed and its start-up (migrations) finished.
                if (response.statusCode() == 200 && response.body().contains("\"parley\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Parley was not ready on WildFly within " + BOOT_TIMEOUT + " (last: " + last
                + "); see " + log.toAbsolutePath());
    }

    private URL url(int port, String path) {
        try {
            return URI.create("http://127.0.0.1:" + (port + offset) + path).toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A port offset at which every socket binding of the configuration is free on loopback; ports stay below
     * 30000, out of Linux's ephemeral range.
     */
    public static int freeOffset() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(100, 2000) * 10;
            boolean free = true;
            for (int port : PORTS) {
                if (port + offset > 65535 || !free(port + offset)) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    public static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
