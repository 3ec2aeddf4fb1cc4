package dev.taskd.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests: {@code TASKD_TEST_POSTGRES_URL} when set (a JDBC URL of a role that
 * may create databases), else a throwaway server this JVM starts once, in a temp dir, with
 * {@code initdb} and {@code pg_ctl} from {@code pg_config --bindir} (or the newest
 * {@code /usr/lib/postgresql/N/bin}), listening on a free loopback port, and stops at exit. As
 * root the server runs as {@code nobody}, since PostgreSQL refuses to run as root. Each test
 * class takes a fresh database of its own from {@link #newDatabase}.
 */
public final class PostgresServer {

    public static final String URL_VARIABLE = "TASKD_TEST_POSTGRES_URL";

    private static final String UNPRIVILEGED = "nobody";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final String adminUrl;

    private PostgresServer(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** The one server of this JVM, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            String given = System.getenv(URL_VARIABLE);
            shared = given != null && !given.isBlank() ? new PostgresServer(given) : startThrowaway();
        }
        return shared;
    }

    /** A new empty database on the server, named after {@code purpose}; as a store target. */
    public PostgresTarget newDatabase(String purpose) {
        String name = ("taskd_" + purpose.replaceAll("[^A-Za-z0-9]", "_") + "_" + ProcessHandle.current().pid()
                + "_" + DATABASES.incrementAndGet()).toLowerCase(java.util.Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + adminUrl + ": " + e, e);
        }
        return new PostgresTarget(withDatabase(adminUrl, name), "", "");
    }

    /** {@code url} naming {@code database} instead of its own, with its query (user, password) kept. */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String rest = query < 0 ? "" : url.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + rest;
    }

    private static PostgresServer startThrowaway() {
        try {
            Path bin = binDir();
            Path root = Files.createTempDirectory("taskd-pg");
            boolean asRoot = "root".equals(System.getProperty("user.name"));
            if (asRoot) {
                UserPrincipal nobody = root.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(UNPRIVILEGED);
                Files.setOwner(root, nobody);
            }
            Path data = root.resolve("data");
            int port = freePort();
            run(asRoot, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "taskd",
                    "--auth=trust", "-E", "UTF8", "--locale=C", "-N"), root);
            run(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    root.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                    "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start"), root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(asRoot, bin, data, root)));
            return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=taskd");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a throwaway PostgreSQL: " + e.getMessage()
                    + "; install the server (Debian: apt-get install postgresql) or set " + URL_VARIABLE, e);
        }
    }

    private static void stop(boolean asRoot, Path bin, Path data, Path root) {
        try {
            run(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "stop"), root);
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            System.err.println("stopping the test PostgreSQL in " + root + ": " + e.getMessage());
        }
    }

    /** Where initdb and pg_ctl are: pg_config's answer when it has them, else the newest Debian version. */
    static Path binDir() throws IOException {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
                return Path.of(out);
            }
        } catch (IOException e) {
            // No pg_config (only the client package, or none): look where Debian puts servers.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking pg_config", e);
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> dirs = Files.list(versions)) {
                List<Path> found = new ArrayList<>(dirs.map(d -> d.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb"))).toList());
                found.sort(Comparator.comparingInt(b -> major(b.getParent())));
                if (!found.isEmpty()) {
                    return found.getLast();
                }
            }
        }
        throw new IOException("no initdb found (pg_config --bindir, /usr/lib/postgresql/*/bin)");
    }

    private static int major(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(boolean asRoot, List<String> command, Path workDir) throws IOException {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        }
        full.addAll(command);
        // To a file, not a pipe: the server pg_ctl starts could hold a pipe open after pg_ctl exits.
        Path log = workDir.resolve("commands.log");
        Process p = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", full) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                String out = Files.readString(log);
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        }
    }
}
