package dev.taskd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Loops started per second on PostgreSQL with 1, 2 and 3 nodes against one node on SQLite: the
 * same burst of one-iteration script loops, submitted evenly to the nodes of the cluster; the
 * figure is loops submitted, started, iterated once and finished per second, from the first
 * submission to the last loop's end. The nodes join one by one, each count measured in its
 * rounds beside a SQLite round. Needs {@code TASKD_BENCH_POSTGRES_URL}, a JDBC URL of a role that
 * may create databases (the benchmark creates a fresh database and drops it after); without it,
 * it measures nothing and says so. All nodes run on this one machine, so more nodes share its
 * cores: the figures show what the cluster's claims cost, not what more machines add.
 */
final class StorageBackendBench implements Benchmark {

    static final String URL_VARIABLE = "TASKD_BENCH_POSTGRES_URL";

    private static final int MAX_NODES = 3;
    /** Bursts of the measured size before each configuration's rounds. */
    private static final int WARM_UP_BURSTS = 3;
    private static final String TYPE_JS = "export function iterate(ctx) { ctx.complete(\"once\"); }\n";
    private static final String TYPE_TOML = "description = \"one iteration\"\nscript = \"once.js\"\n";

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public String what() {
        return "one-iteration loops started and finished per second: PostgreSQL with 1, 2 and 3 nodes against SQLite";
    }

    @Override
    public List<Figure> run(Bench bench) throws Exception {
        String admin = System.getenv(URL_VARIABLE);
        if (admin == null || admin.isBlank()) {
            Bench.progress("storage: %s is not set; no PostgreSQL to measure", URL_VARIABLE);
            return List.of();
        }
        int loops = bench.size(2_000, 100);
        List<Figure> rates = new ArrayList<>();
        for (int nodes = 1; nodes <= MAX_NODES; nodes++) {
            rates.add(new Figure("loops started per second, %,d one-iteration loops, PostgreSQL, %d node%s"
                    .formatted(loops, nodes, nodes == 1 ? "" : "s"), "/s", "SQLite, 1 node", null));
        }
        String database = "taskd_bench_" + System.currentTimeMillis();
        execute(admin, "CREATE DATABASE " + database);
        String limits = """
                [limits]
                max-loops = 1000
                max-queued = %d
                [reload]
                watch = false
                """.formatted(loops * 4);
        String postgresToml = limits + """
                [storage]
                backend = "postgres"
                url = "%s"
                """.formatted(withDatabase(admin, database));
        List<BenchDaemon> cluster = new ArrayList<>();
        try (BenchDaemon sqlite = daemon(bench, "storage-sqlite", limits, null)) {
            // Warm-up: JIT compilation is not what is measured. One burst of 1,000 was not enough: the
            // SQLite rounds of a run still sped up from 156 to 400 loops/s, so each side gets whole bursts.
            for (int i = 0; i < WARM_UP_BURSTS; i++) {
                burst(List.of(sqlite), loops);
            }
            for (Figure rate : rates) {
                int nodes = cluster.size() + 1;
                cluster.add(daemon(bench, "storage-postgres-" + nodes, postgresToml, "bench-" + nodes));
                for (int i = 0; i < WARM_UP_BURSTS; i++) {
                    burst(cluster, loops); // the node that just joined warms up too
                }
                for (int round = 0; round < bench.rounds(); round++) {
                    double onSqlite = burst(List.of(sqlite), loops);
                    double onPostgres = burst(cluster, loops);
                    rate.add(onPostgres, onSqlite);
                    Bench.progress("round %d: PostgreSQL %d node(s) %.0f loops/s, SQLite %.0f loops/s", round + 1,
                            nodes, onPostgres, onSqlite);
                }
            }
        } finally {
            try {
                for (BenchDaemon node : cluster) {
                    node.close();
                }
            } finally {
                execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
        return rates;
    }

    /** @param node {@code daemon.node}, or null for none (SQLite) */
    private static BenchDaemon daemon(Bench bench, String name, String toml, String node) throws IOException {
        BenchDaemon daemon = new BenchDaemon(bench, name, toml);
        daemon.file("loop-types/once.js", TYPE_JS);
        daemon.file("loop-types/once.toml", TYPE_TOML);
        if (node != null) {
            String config = Files.readString(daemon.home.resolve("taskd.toml"));
            daemon.file("taskd.toml", config.replace("data-dir = \"data\"", "data-dir = \"data\"\nnode = \"" + node + "\""));
        }
        daemon.start();
        return daemon;
    }

    /**
     * Submits {@code count} loops, shared evenly among {@code nodes} at once, and waits until they
     * all succeeded (in a cluster each node's status counts the whole cluster's loops); loops per second.
     */
    private static double burst(List<BenchDaemon> nodes, int count) throws IOException, InterruptedException {
        BenchDaemon first = nodes.getFirst();
        int before = succeeded(first);
        long start = System.nanoTime();
        List<Thread> submitters = new ArrayList<>();
        ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            BenchDaemon node = nodes.get(i);
            int share = count / nodes.size() + (i < count % nodes.size() ? 1 : 0);
            submitters.add(Thread.ofVirtual().start(() -> {
                try {
                    node.http.submitAll("once", share);
                } catch (InterruptedException | RuntimeException e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread submitter : submitters) {
            submitter.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a submission failed: " + errors.peek().getMessage(), errors.peek());
        }
        Instant deadline = Instant.now().plusSeconds(600);
        while (succeeded(first) < before + count) {
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
