package dev.parley.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops and starts this machine's PostgreSQL cluster (Debian's {@code pg_ctlcluster}, the only cluster under
 * {@code /etc/postgresql}) for the outage test. A shared server: callers start it again in a {@code finally}.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void stop() throws IOException, InterruptedException {
        control("stop");
    }

    public static void start() throws IOException, InterruptedException {
        control("start");
    }

    private static void control(String action) throws IOException, InterruptedException {
        String version;
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.findFirst().orElseThrow().getFileName().toString();
        }
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pg_ctlcluster " + action + " failed: " + output);
        }
    }
}
