package dev.parley.it.support;

import dev.parley.testing.FuzzFrames;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends fuzzed frames to a server over a few concurrent connections, each with its own generator seeded from
 * one seed, so a run is reproducible frame for frame. Every 64 frames a ping proves the connection still answers;
 * a connection the server closes is replaced. Whatever a {@link FuzzClient} judges wrong is written to the
 * {@link FuzzCorpus} together with the last 64 frames of that connection.
 */
public final class Fuzzer {

    private static final int WINDOW = 64;

    private Fuzzer() {
    }

    /** Runs {@code total} frames; returns one line per finding (empty when the server behaved). */
    public static List<String> run(URL base, long seed, int connections, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                results.add(pool.submit(() -> connection(base, seed, connection, total / connections)));
            }
            List<String> findings = new ArrayList<>();
            for (Future<List<String>> result : results) {
                findings.addAll(result.get(10, TimeUnit.MINUTES));
            }
            return findings;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> connection(URL base, long seed, int connection, int frames) {
        FuzzFrames generator = new FuzzFrames(seed * 31 + connection);
        ArrayDeque<String> recent = new ArrayDeque<>();
        List<String> findings = new ArrayList<>();
        FuzzClient client = FuzzClient.connect(base);
        try {
            for (int i = 0; i < frames; i++) {
                String frame = generator.next();
                recent.addLast(frame);
                if (recent.size() > WINDOW) {
                    recent.removeFirst();
                }
                boolean open = client.send(frame);
                if (open && i % WINDOW == WINDOW - 1) {
                    open = client.sync(Duration.ofSeconds(20));
                }
                if (!open) {
                    client.closeCode(); // judges the close and anything still unread
                }
                if (!client.anomalies.isEmpty()) {
                    String where = "seed " + seed + ", connection " + connection + ", frame " + i;
                    Path file = FuzzCorpus.save("seed" + seed + "-c" + connection + "-f" + i, "FaultsIT fuzz, " + where,
                            new ArrayList<>(recent), client.anomalies);
                    findings.add(where + " -> " + file + ": " + client.anomalies);
                    client.anomalies.clear();
                }
                if (!open) {
                    client.close();
                    client = FuzzClient.connect(base);
                }
            }
        } finally {
            client.close();
        }
        return findings;
    }
}
