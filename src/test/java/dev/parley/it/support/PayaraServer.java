package dev.parley.it.support;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real WAR on Payara Micro in a child process the test controls fully (Arquillian cannot kill -9):
 * loopback only, a free port, the data grid off, and always stopped.
 */
public final class PayaraServer implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final Path log;

    private PayaraServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Payara Micro with the WAR at {@code /} and the given {@code parley.*} system properties. Payara now
     * and then fails its own boot (a security-provider race: "getContextClassLoader() is null", before Parley's
     * code runs); such a boot is retried once on a fresh runtime directory.
     */
    public static PayaraServer start(String name, Map<String, String> settings) throws IOException, InterruptedException {
        return start(name, settings, SINGLE);
    }

    /**
     * Starts one member of a cluster on Payara's data grid: tcpip discovery of the given loopback ports (never
     * multicast), bound to 127.0.0.1, listening on {@code gridPort}.
     */
    public static PayaraServer startClustered(String name, Map<String, String> settings, int gridPort, List<Integer> gridPorts)
            throws IOException, InterruptedException {
        StringBuilder members = new StringBuilder();
        for (int p : gridPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        return start(name, settings, List.of("--prebootcommandfile", "src/main/payara/preboot-loopback-grid.asadmin",
                "--clustermode", "tcpip:" + members, "--interfaces", "127.0.0.1", "--startport", Integer.toString(gridPort),
                "--clustername", "parley-it-" + gridPorts.get(0), "--hzinitialjoinwait", "0"));
    }

    /** A free port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static final List<String> SINGLE = List.of("--nohazelcast",
            "--prebootcommandfile", System.getProperty("parley.preboot", "src/main/payara/preboot-loopback.asadmin"));

    private static PayaraServer start(String name, Map<String, String> settings, List<String> options)
            throws IOException, InterruptedException {
        try {
            return boot(name, settings, options);
        } catch (PlatformBootFailure e) {
            return boot(name, settings, options);
        }
    }

    /** Payara reported a failed deployment that did not come from the application. */
    private static final class PlatformBootFailure extends IllegalStateException {
        PlatformBootFailure(String message) {
            super(message);
        }
    }

    private static PayaraServer boot(String name, Map<String, String> settings, List<String> options)
            throws IOException, InterruptedException {
        PayaraServer server = launch(name, settings, options);
        try {
            server.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts Payara Micro like {@link #start} but returns at once, ready or not (for deployments meant to fail). */
    public static PayaraServer launch(String name, Map<String, String> settings) throws IOException {
        return launch(name, settings, SINGLE);
    }

    private static PayaraServer launch(String name, Map<String, String> settings, List<String> options) throws IOException {
        int port = freePort();
        Path root = Files.createTempDirectory("parley-it-" + name);
        Path log = Path.of("target", "it-servers", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-Dh2.bindAddress=127.0.0.1"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        String transport = System.getProperty("parley.it.ws-transport");
        if (transport != null && !settings.containsKey("parley.ws.transport")) {
            command.add("-Dparley.ws.transport=" + transport); // the suite's transport, as the Arquillian server has
        }
        if (options != SINGLE) {
            command.add("-Dhazelcast.socket.bind.any=false"); // else the data grid listens on every interface
        }
        command.addAll(List.of("-jar", System.getProperty("payara.microJar", "target/payara-micro.jar")));
        command.addAll(options);
        command.addAll(List.of(
                "--rootdir", root.resolve("root").toString(),
                "--port", Integer.toString(port),
                "--contextroot", "/",
                "--deploy", new File(System.getProperty("parley.war", "target/parley.war")).getAbsolutePath()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PayaraServer(process, port, log);
    }

    /** Waits until the server log contains {@code text}; false if it did not within {@code timeout}. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains(text)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** The server log so far ("" if unreadable). */
    public String log() {
        try {
            return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public URL base() {
        try {
            return URI.create("http://127.0.0.1:" + port + "/").toURL();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The server process's resident memory in KiB, from /proc (0 where there is no /proc). */
    public long rssKb() {
        return rssKb(process.pid());
    }

    /** A process's resident memory in KiB, from /proc (0 when it is gone or there is no /proc). */
    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone or no /proc
        }
        return 0;
    }

    /** SIGKILL: no shutdown hooks, no flushing, like a power cut of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        String last = "no answer"; // what /health/ready said last, for the message if it never says UP
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited during start-up; see " + log.toAbsolutePath());
            }
            if (platformBootFailed()) {
                close();
                throw new PlatformBootFailure("Payara failed its own boot; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = ready.statusCode() + " " + ready.body().lines().findFirst().orElse("");
            } catch (IOException e) {
                last = e.toString(); // not listening yet, or no answer within 5 s
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Parley was not ready within " + BOOT_TIMEOUT + " (/health/ready last: " + last
                + "); see " + log.toAbsolutePath());
    }

    private boolean platformBootFailed() {
        try {
            String text = Files.readString(log);
            return text.contains("Exception while deploying the app") && text.contains("SecurityLifecycleException");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

}
