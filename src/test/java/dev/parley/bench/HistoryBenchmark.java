package dev.parley.bench;

import dev.parley.db.Sql;
import dev.parley.it.support.Api;
import dev.parley.it.support.PayaraServer;
import dev.parley.reports.CallRollup;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * History at scale, on the local PostgreSQL: seeds N calls (default 1,000,000) into a schema of its own, starts
 * Parley on them, and reports how long the 30-day daily report and other queries take, and how fast a CSV export
 * of 100,000 rows (and of everything) streams while the server's resident memory is sampled.
 *
 * <p>Run: {@code mvn -B -DskipTests package org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.mainClass=dev.parley.bench.HistoryBenchmark
 * -Dexec.classpathScope=test [-Dcalls=1000000]}. It prints figures; it never fails on them.
 */
public final class HistoryBenchmark {

    private static final String PG = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String SCHEMA = "parley_bench";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int calls = Integer.getInteger("calls", 1_000_000);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long seedStart = System.nanoTime();
        seed(calls, now);
        System.out.printf("seeded %,d calls over 60 days in %.1f s%n", calls, (System.nanoTime() - seedStart) / 1e9);

        Map<String, String> settings = Map.of("parley.admin.token", Api.ADMIN_TOKEN,
                "parley.db.url", PG + "?currentSchema=" + SCHEMA, "parley.db.user", "postgres");
        try (PayaraServer server = PayaraServer.start("bench-history", settings)) {
            String base = server.base().toString();
            List<String> lines = new ArrayList<>();
            lines.add(String.format("%,d calls in PostgreSQL, 2 cores, loopback; server: Payara Micro 6.2025.10, -Xmx512m", calls));
            lines.add(timed("30-day daily report (default)", base + "api/reports/calls"));
            lines.add(timed("30-day hourly report", base + "api/reports/calls?interval=hour"));
            lines.add(timed("busiest rooms, 30 days", base + "api/reports/rooms"));
            lines.add(timed("history page 0 (50 rows + total)", base + "api/calls"));
            lines.add(timed("history page 0, one room", base + "api/calls?room=room-7"));
            Instant from = now.minus(6, ChronoUnit.DAYS);
            lines.add(export("CSV export, last 6 days", base + "api/calls?from=" + from, server));
            lines.add(export("CSV export, everything", base + "api/calls", server));
            Path out = Path.of("target", "bench", "history.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, lines);
            System.out.println();
            lines.forEach(System.out::println);
        }
    }

    /** One warm-up, then 10 timed requests: median and worst. */
    private static String timed(String what, String url) throws Exception {
        get(url);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(url);
            ms.add((System.nanoTime() - start) / 1e6);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        Collections.sort(ms);
        return String.format("%-36s median %7.1f ms, max %7.1f ms", what, ms.get(4), ms.get(9));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams a CSV export to nowhere, counting rows and sampling the server's RSS every 50 ms. */
    private static String export(String what, String url, PayaraServer server) throws Exception {
        long rssBefore = server.rssKb();
        AtomicLong peak = new AtomicLong(rssBefore);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(server.rssKb(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        rows++;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        return String.format("%-36s %,d rows, %.1f MB in %.2f s (%,.0f rows/s); server RSS %d MB before, %d MB peak",
                what, rows - 1, bytes / 1e6, seconds, (rows - 1) / seconds, rssBefore / 1024, peak.get() / 1024);
    }

    /** Fresh schema, real migrations, then COPY: realistic rows spread over 60 days and 200 rooms. */
    private static void seed(int calls, Instant now) throws Exception {
        try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                s.execute("CREATE SCHEMA " + SCHEMA);
            }
        }
        var flyway = Flyway.configure().dataSource(PG, "postgres", "").schemas(SCHEMA).locations("classpath:db/migration", "classpath:db/vendor/postgresql").load();
        flyway.migrate();
        try (Connection c = DriverManager.getConnection(PG + "?currentSchema=" + SCHEMA, "postgres", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO parley_room (id, name, capacity, has_password, created_at, closed_at, instance_id) "
                        + "VALUES ('bench', 'bench', 2, FALSE, now(), now(), 'bench')");
            }
            StringBuilder csv = new StringBuilder(calls * 200);
            Random random = new Random(42);
            String[] reasons = {"hangup", "hangup", "hangup", "missed", "rejected", "cancelled", "left", "disconnected"};
            String[] types = {"host", "srflx", "relay"};
            for (int i = 0; i < calls; i++) {
                LocalDateTime started = LocalDateTime.ofInstant(now.minusMillis((long) (random.nextDouble() * 60 * 86_400_000L)), ZoneOffset.UTC);
                String reason = reasons[random.nextInt(reasons.length)];
                boolean answered = reason.equals("hangup") || reason.equals("left");
                long setup = answered ? 200 + random.nextInt(3000) : 0;
                long duration = answered ? random.nextInt(1800) : 0;
                LocalDateTime answeredAt = answered ? started.plusNanos(setup * 1_000_000) : null;
                LocalDateTime ended = (answered ? answeredAt : started).plusSeconds(duration);
                csv.append("c").append(i).append(",bench,room-").append(random.nextInt(200))
                        .append(",a").append(i).append(",Caller ").append(i % 1000)
                        .append(",b").append(i).append(",Callee ").append(i % 777)
                        .append(",ended,").append(started).append(',').append(answeredAt == null ? "" : answeredAt)
                        .append(',').append(ended).append(',').append(reason).append(',')
                        .append(answered ? Long.toString(setup) : "").append(',').append(duration).append(",bench,")
                        .append(answered ? types[random.nextInt(3)] : "").append(',')
                        .append(answered ? Integer.toString(10 + random.nextInt(150)) : "").append('\n');
            }
            ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn("COPY parley_call (id, room_id, room_name, "
                    + "caller_id, caller_name, callee_id, callee_name, status, started_at, answered_at, ended_at, end_reason, "
                    + "setup_ms, duration_s, instance_id, caller_candidate_type, caller_rtt_ms) FROM STDIN WITH (FORMAT csv)",
                    new StringReader(csv.toString()));
            // COPY goes behind the history writer's back: recount the report's per-hour sums as an import would.
            new CallRollup(false).rebuild(Sql.of(c));
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE parley_call");
                s.execute("ANALYZE parley_call_hour");
            }
        }
    }
}
