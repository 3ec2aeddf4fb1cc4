package dev.taskd.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of {@link Schema} on PostgreSQL, version for version: STEPS[i] takes a database from
 * version i to i + 1, as {@link Schema}'s steps take a file, and the two must always mean the same.
 * Differences are of dialect only: BIGINT for integers (PostgreSQL's INTEGER has four bytes),
 * ids collated "C" so that {@code ORDER BY id} is byte order as in SQLite, whatever the database's
 * locale. Times stay ISO-8601 text in both, written by the same code.
 *
 * <p>The version is the {@code store} row of {@code taskd_schema} (other rows version tables only
 * PostgreSQL has); migrations run at open under an advisory lock, so that daemons starting at once
 * migrate once and none reads a half-migrated schema.
 */
final class PostgresSchema {

    /** Any constant: the advisory lock every taskd takes to migrate ("taskd" in ASCII). */
    private static final long MIGRATION_LOCK = 0x7461736b64L;

    private static final String[] VERSION_1 = {
        """
        CREATE TABLE IF NOT EXISTS loops (
            id           TEXT COLLATE "C" PRIMARY KEY,
            type         TEXT NOT NULL,
            type_version TEXT NOT NULL,
            inputs       TEXT NOT NULL,
            state_json   TEXT NOT NULL,
            state        TEXT NOT NULL,
            reason       TEXT,
            iterations   BIGINT NOT NULL,
            priority     BIGINT NOT NULL,
            after        TEXT NOT NULL,
            workdir      TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS loops_by_state ON loops (state)",
        "CREATE INDEX IF NOT EXISTS loops_by_type ON loops (type)",
        """
        CREATE TABLE IF NOT EXISTS iterations (
            loop_id              TEXT COLLATE "C" NOT NULL REFERENCES loops (id),
            number               BIGINT NOT NULL,
            started_at           TEXT NOT NULL,
            ended_at             TEXT NOT NULL,
            outcome              TEXT NOT NULL,
            validation_exit_code BIGINT,
            output_tail          TEXT,
            generation           BIGINT NOT NULL,
            tokens_in            BIGINT NOT NULL,
            tokens_out           BIGINT NOT NULL,
            error                TEXT,
            CONSTRAINT iteration_once UNIQUE (loop_id, number)
        )""",
        """
        CREATE TABLE IF NOT EXISTS running_iterations (
            loop_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES loops (id),
            number     BIGINT NOT NULL,
            started_at TEXT NOT NULL
        )""",
    };

    private static final String[] VERSION_2 = {
        "ALTER TABLE loops ADD COLUMN generation BIGINT NOT NULL DEFAULT 0",
        """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT COLLATE "C" PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            key          TEXT COLLATE "C" PRIMARY KEY,
            request_hash TEXT NOT NULL,
            loop_id      TEXT NOT NULL,
            created_at   TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at)",
    };

    private static final String[] VERSION_3 = {
        "ALTER TABLE running_iterations ADD COLUMN pgid BIGINT",
        "ALTER TABLE running_iterations ADD COLUMN pgid_start BIGINT",
        "ALTER TABLE running_iterations ADD COLUMN cgroup TEXT",
    };

    private static final String[] VERSION_4 = {
        "ALTER TABLE loops ADD COLUMN iteration_limit BIGINT",
        "ALTER TABLE iterations ADD COLUMN cost DOUBLE PRECISION NOT NULL DEFAULT 0",
        """
        CREATE TABLE IF NOT EXISTS loop_notes (
            loop_id   TEXT COLLATE "C" NOT NULL REFERENCES loops (id),
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            iteration BIGINT NOT NULL,
            detail    TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS loop_notes_by_loop ON loop_notes (loop_id)",
    };

    // A version added to Schema (SQLite) gets its PostgreSQL twin here as VERSION_N and in STEPS
    // below, in the same order; PostgresSchemaTest fails until both lists have the same length.
    /** STEPS[i] takes a database from version i to i + 1. */
    static final String[][] STEPS = {VERSION_1, VERSION_2, VERSION_3, VERSION_4};

    /**
     * Tables only a cluster needs, which SQLite (one node) never has, versioned apart from the
     * store's ({@code cluster} row of {@code taskd_schema}) so that the store's versions stay
     * the same numbers on both backends.
     */
    private static final String[] CLUSTER_1 = {
        // Incarnations are drawn from one sequence, never reused: a node that rejoins is a new one.
        "CREATE SEQUENCE IF NOT EXISTS node_incarnations",
        // One row per live (or not yet taken over) node; lease times are the database's clock only.
        """
        CREATE TABLE IF NOT EXISTS nodes (
            name        TEXT COLLATE "C" PRIMARY KEY,
            incarnation BIGINT NOT NULL,
            joined_at   TIMESTAMPTZ NOT NULL,
            renewed_at  TIMESTAMPTZ NOT NULL,
            lease_until TIMESTAMPTZ NOT NULL
        )""",
        // The node incarnation running the loop, and its epoch: raised at every claim and takeover,
        // carried by every write for the loop, so that a write of a node that lost it changes nothing.
        "ALTER TABLE loops ADD COLUMN owner TEXT",
        "ALTER TABLE loops ADD COLUMN owner_incarnation BIGINT",
        "ALTER TABLE loops ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0",
        "CREATE INDEX IF NOT EXISTS loops_by_owner ON loops (owner, owner_incarnation) WHERE owner IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS loops_to_claim ON loops (priority DESC, id) WHERE state = 'QUEUED'",
    };

    /**
     * The cluster's configuration generations: each published generation's
     * sources, numbered by the cluster, and each node's acknowledgement (ACK) or rejection (NACK)
     * of the head on its row of {@code nodes}.
     */
    private static final String[] CLUSTER_2 = {
        // sources: JSON of the published files by path relative to taskd.toml's directory, without
        // the node-local sections of taskd.toml (see GenerationRows); hash: over that, so a publish
        // of content identical to the head is recognised. Not unique: a rollback publishes old content anew.
        """
        CREATE TABLE IF NOT EXISTS config_generations (
            number       BIGINT PRIMARY KEY,
            hash         TEXT NOT NULL,
            sources      TEXT NOT NULL,
            published_by TEXT NOT NULL,
            published_at TIMESTAMPTZ NOT NULL,
            trigger      TEXT NOT NULL,
            actor        TEXT NOT NULL
        )""",
        "ALTER TABLE nodes ADD COLUMN applied_generation BIGINT",
        "ALTER TABLE nodes ADD COLUMN applied_at TIMESTAMPTZ",
        "ALTER TABLE nodes ADD COLUMN rejected_generation BIGINT",
        "ALTER TABLE nodes ADD COLUMN last_error TEXT",
        "ALTER TABLE nodes ADD COLUMN draining BOOLEAN NOT NULL DEFAULT false",
    };

    /**
     * The cluster's audit log ({@link AuditTable}): one hash chain, every node appending to it.
     * {@code entry} is the entry's JSON text exactly as its hash was taken; the other columns
     * repeat what it holds, for queries and for {@code taskd audit verify} to check against it.
     */
    private static final String[] CLUSTER_3 = {
        """
        CREATE TABLE IF NOT EXISTS audit_log (
            seq   BIGINT PRIMARY KEY,
            ts    TIMESTAMPTZ NOT NULL,
            node  TEXT NOT NULL,
            kind  TEXT NOT NULL,
            entry TEXT NOT NULL,
            prev  TEXT NOT NULL,
            hash  TEXT NOT NULL
        )""",
    };

    private static final String[] CLUSTER_4 = {
        // Each schedule's fire time, claimed by the one node that fires it; pruned a week after the claim.
        """
        CREATE TABLE IF NOT EXISTS schedule_fires (
            schedule  TEXT COLLATE "C" NOT NULL,
            fire_time TIMESTAMPTZ NOT NULL,
            node      TEXT NOT NULL,
            fired_at  TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (schedule, fire_time)
        )""",
        "CREATE INDEX IF NOT EXISTS schedule_fires_by_age ON schedule_fires (fired_at)",
    };

    static final String[][] CLUSTER_STEPS = {CLUSTER_1, CLUSTER_2, CLUSTER_3, CLUSTER_4};

    private PostgresSchema() {
    }

    /**
     * Creates or migrates the tables on {@code c} (in autocommit mode; left so), holding the
     * migration lock meanwhile.
     *
     * @throws StoreException when the database holds a newer version than this taskd knows
     */
    static void migrate(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                migrateLocked(c, s, where);
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    private static void migrateLocked(Connection c, Statement s, String where) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS taskd_schema (part TEXT PRIMARY KEY, version BIGINT NOT NULL)");
        if (STEPS.length != Schema.VERSION) {
            throw new StoreException("open " + where + ": this taskd has PostgreSQL steps up to schema version "
                    + STEPS.length + ", not " + Schema.VERSION + " (a build defect: add them to PostgresSchema)");
        }
        migratePart(c, s, where, "store", STEPS);
        migratePart(c, s, where, "cluster", CLUSTER_STEPS);
    }

    private static void migratePart(Connection c, Statement s, String where, String part, String[][] steps)
            throws SQLException {
        int found = 0;
        try (ResultSet rs = s.executeQuery("SELECT version FROM taskd_schema WHERE part = '" + part + "'")) {
            if (rs.next()) {
                found = rs.getInt(1);
            }
        }
        if (found > steps.length) {
            throw new StoreException("open " + where + ": " + ("store".equals(part) ? "" : part + " ")
                    + "schema version " + found + " is newer than this taskd knows (" + steps.length
                    + "); run a newer taskd");
        }
        if (found == steps.length) {
            return;
        }
        c.setAutoCommit(false);
        try {
            for (int version = found; version < steps.length; version++) {
                for (String ddl : steps[version]) {
                    s.execute(ddl);
                }
            }
            s.execute("INSERT INTO taskd_schema (part, version) VALUES ('" + part + "', " + steps.length
                    + ") ON CONFLICT (part) DO UPDATE SET version = excluded.version");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
