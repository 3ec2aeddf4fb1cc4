package dev.taskd.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens connections to {@code taskd.db} and creates or checks its schema. */
final class Schema {

    /**
     * Bumped with every change to the tables; a newer file is refused, not guessed at. Each
     * version's statements are in {@link #STEPS}: a file at version N runs the steps after N.
     */
    static final int VERSION = 4;

    private static final int BUSY_TIMEOUT_MS = 5_000;

    private static final String[] VERSION_1 = {
        """
        CREATE TABLE IF NOT EXISTS loops (
            id           TEXT PRIMARY KEY,
            type         TEXT NOT NULL,
            type_version TEXT NOT NULL,
            inputs       TEXT NOT NULL,
            state_json   TEXT NOT NULL,
            state        TEXT NOT NULL,
            reason       TEXT,
            iterations   INTEGER NOT NULL,
            priority     INTEGER NOT NULL,
            after        TEXT NOT NULL,
            workdir      TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS loops_by_state ON loops (state)",
        "CREATE INDEX IF NOT EXISTS loops_by_type ON loops (type)",
        """
        CREATE TABLE IF NOT EXISTS iterations (
            loop_id              TEXT NOT NULL REFERENCES loops (id),
            number               INTEGER NOT NULL,
            started_at           TEXT NOT NULL,
            ended_at             TEXT NOT NULL,
            outcome              TEXT NOT NULL,
            validation_exit_code INTEGER,
            output_tail          TEXT,
            generation           INTEGER NOT NULL,
            tokens_in            INTEGER NOT NULL,
            tokens_out           INTEGER NOT NULL,
            error                TEXT,
            CONSTRAINT iteration_once UNIQUE (loop_id, number)
        )""",
        // An iteration in progress; a row left here after a crash is an iteration that was cut off.
        """
        CREATE TABLE IF NOT EXISTS running_iterations (
            loop_id    TEXT PRIMARY KEY REFERENCES loops (id),
            number     INTEGER NOT NULL,
            started_at TEXT NOT NULL
        )""",
    };

    private static final String[] VERSION_2 = {
        // The generation whose snapshot holds the loop's type_version, so that a restart can rebuild
        // exactly the version a pinned loop runs. 0: unknown (a loop written before version 2).
        "ALTER TABLE loops ADD COLUMN generation INTEGER NOT NULL DEFAULT 0",
        // Facts about the data dir that outlive a daemon: the last applied generation, event ids.
        """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        // Idempotency-Key of POST /v1/loops: the first loop a key made, and a hash of the request.
        """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            key          TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            loop_id      TEXT NOT NULL,
            created_at   TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at)",
    };

    private static final String[] VERSION_3 = {
        // The command an iteration in progress runs now: its process group (the leader's pid), the
        // leader's start time from /proc (so that a recycled pid is never killed) and its cgroup.
        // A restart kills what a crash left of them before any loop resumes.
        "ALTER TABLE running_iterations ADD COLUMN pgid INTEGER",
        "ALTER TABLE running_iterations ADD COLUMN pgid_start INTEGER",
        "ALTER TABLE running_iterations ADD COLUMN cgroup TEXT",
    };

    // Portable SQL only (TEXT, INTEGER, DOUBLE PRECISION): a PostgreSQL store mirrors these steps.
    private static final String[] VERSION_4 = {
        // The last iteration a loop may run, when a retry or a rejection moved it past its type's
        // max-iterations; NULL: the type's max-iterations.
        "ALTER TABLE loops ADD COLUMN iteration_limit INTEGER",
        // What the iteration's LLM calls cost, in the currency of llm.providers.*.prices.
        "ALTER TABLE iterations ADD COLUMN cost DOUBLE PRECISION NOT NULL DEFAULT 0",
        // What people did to a loop, oldest first: retried, approved, rejected; who, when, and after
        // which iteration.
        """
        CREATE TABLE IF NOT EXISTS loop_notes (
            loop_id   TEXT NOT NULL REFERENCES loops (id),
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            iteration INTEGER NOT NULL,
            detail    TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS loop_notes_by_loop ON loop_notes (loop_id)",
    };

    /** STEPS[i] takes a file from version i to i + 1; PostgresSchema mirrors each (add it there too). */
    static final String[][] STEPS = {VERSION_1, VERSION_2, VERSION_3, VERSION_4};

    private Schema() {
    }

    /**
     * Opens the one writing connection: WAL, full sync, foreign keys, and the schema created or
     * checked. Fails when the file belongs to a newer taskd or WAL cannot be enabled.
     */
    static Connection openWriter(Path db) throws SQLException {
        Connection c = DriverManager.getConnection(url(db));
        try (Statement s = c.createStatement()) {
            // WAL lets readers run beside the single writer and makes a commit one append.
            String mode = queryString(s, "PRAGMA journal_mode=WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("open " + db + ": journal_mode is '" + mode
                        + "', WAL is required (is the file on a network file system?)");
            }
            // FULL syncs the WAL on every commit. NORMAL would be faster but may lose the last
            // commits on power loss, and the API reports a state change only after the store
            // has it: a loop reported finished must never run again after a crash.
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA foreign_keys=ON");
            migrate(db, s);
        } catch (SQLException | RuntimeException e) {
            Rows.closeQuietly(c, e);
            throw e;
        }
        return c;
    }

    /** Opens a read-only connection; WAL gives it a consistent snapshot per transaction. */
    static Connection openReader(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return DriverManager.getConnection(url(db), config.toProperties());
    }

    private static void migrate(Path db, Statement s) throws SQLException {
        int found = Integer.parseInt(queryString(s, "PRAGMA user_version"));
        if (found > VERSION) {
            throw new StoreException("open " + db + ": schema version " + found
                    + " is newer than this taskd knows (" + VERSION + "); run a newer taskd");
        }
        if (found == VERSION) {
            return;
        }
        s.execute("BEGIN IMMEDIATE");
        try {
            for (int version = found; version < VERSION; version++) {
                for (String ddl : STEPS[version]) {
                    s.execute(ddl);
                }
            }
            s.execute("PRAGMA user_version=" + VERSION);
            s.execute("COMMIT");
        } catch (SQLException e) {
            try {
                s.execute("ROLLBACK");
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String url(Path db) {
        return "jdbc:sqlite:" + db.toAbsolutePath();
    }
}
