package dev.taskd.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loops started per second on PostgreSQL against SQLite: one daemon on each backend, each given
 * the same burst of one-iteration script loops; the figure is loops submitted, started, iterated
 * once and finished per second, from the first submission to the last loop's end. Needs
 * {@code TASKD_BENCH_POSTGRES_URL}, a JDBC URL of a role that may create databases (the benchmark
 * creates a fresh database and drops it after); without it, it measures nothing and says so.
 */
final class StorageBackendBench implements Benchmark {

    static final String URL_VARIABLE = "TASKD_BENCH_POSTGRES_URL";

    private static final String TYPE_JS = "export function iterate(ctx) { ctx.complete(\"once\"); }\n";
    private static final String TYPE_TOML = "description = \"one iteration\"\nscript = \"once.js\"\n";

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public String what() {
        return "one-iteration loops started and finished per second: PostgreSQL against SQLite, one daemon each";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        String admin = System.getenv(URL_VARIABLE);
        if (admin == null || admin.isBlank()) {
            Bench.progress("storage: %s is not set; no PostgreSQL to measure", URL_VARIABLE);
            return List.of();
        }
        int loops = bench.size(2_000, 100);
        Figure rate = new Figure("loops started per second, %,d one-iteration loops, PostgreSQL, 1 node".formatted(loops),
                "/s", "SQLite, 1 node", null);
        String database = "taskd_bench_" + System.currentTimeMillis();
        execute(admin, "CREATE DATABASE " + database);
        String limits = """
                [limits]
                max-loops = 1000
                max-queued = %d
                [reload]
                watch = false
                """.formatted(loops * 4);
        try (BenchDaemon sqlite = daemon(bench, "storage-sqlite", limits);
             BenchDaemon postgres = daemon(bench, "storage-postgres", limits + """
                     [storage]
                     backend = "postgres"
                     url = "%s"
                     """.formatted(withDatabase(admin, database)))) {
            burst(sqlite, bench.size(1_000, 20)); // warm-up: JIT compilation is not what is measured
            burst(postgres, bench.size(1_000, 20));
            for (int round = 0; round < bench.rounds(); round++) {
                double onSqlite = burst(sqlite, loops);
                double onPostgres = burst(postgres, loops);
                rate.add(onPostgres, onSqlite);
                Bench.progress("round %d: PostgreSQL %.0f loops/s, SQLite %.0f loops/s", round + 1, onPostgres, onSqlite);
            }
        } finally {
            execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        return List.of(rate);
    }

    private static BenchDaemon daemon(Bench bench, String name, String toml) throws IOException {
        BenchDaemon daemon = new BenchDaemon(bench, name, toml);
        daemon.file("loop-types/once.js", TYPE_JS);
        daemon.file("loop-types/once.toml", TYPE_TOML);
        daemon.start();
        return daemon;
    }

    /** Submits {@code count} loops and waits until they all succeeded; loops per second. */
    private static double burst(BenchDaemon daemon, int count) throws IOException, InterruptedException {
        int before = succeeded(daemon);
        long start = System.nanoTime();
        daemon.http.submitAll("once", count);
        Instant deadline = Instant.now().plusSeconds(600);
        while (succeeded(daemon) < before + count) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(count + " loops did not finish within 600 s");
            }
            Bench.sleep(Duration.ofMillis(20));
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static int succeeded(BenchDaemon daemon) throws IOException {
        return daemon.http.get("/v1/status").path("loops").path("succeeded").asInt();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code url} naming {@code database}, its query (user, password) kept. */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + (query < 0 ? "" : url.substring(query));
    }
}
