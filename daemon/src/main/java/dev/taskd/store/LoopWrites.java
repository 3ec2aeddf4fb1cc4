package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQL of each write. Every method runs on the writer thread inside a batch transaction. A
 * write that inserts a loop or changes its {@code state} must be submitted with the
 * {@link StateChange} it makes ({@link Writer#submit(String, String, Write, java.util.function.Function)}),
 * or the writer's {@link LoopCounts} drift from the store.
 */
final class LoopWrites {

    private LoopWrites() {
    }

    static Void insertLoop(Connection c, LoopRecord loop) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO loops (" + Rows.LOOP_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bindLoop(ps, loop);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new StoreException("insert loop " + loop.id() + ": a loop with this id"
                        + " already exists (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        return null;
    }

    static Boolean updateState(Connection c, String id, LoopState from, LoopState to,
                               String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET state = ?, reason = ?,"
                + " updated_at = ? WHERE id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, reason);
            ps.setString(3, now.toString());
            ps.setString(4, id);
            ps.setString(5, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    static Void adoptVersion(Connection c, String id, String typeVersion, long generation, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE loops SET type_version = ?, generation = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, typeVersion);
            ps.setLong(2, generation);
            ps.setString(3, now.toString());
            ps.setString(4, id);
            ps.executeUpdate();
        }
        return null;
    }

    static Void saveState(Connection c, String id, String stateJson, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE loops SET state_json = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, stateJson);
            ps.setString(2, now.toString());
            ps.setString(3, id);
            if (ps.executeUpdate() != 1) {
                throw new StoreException("save state of loop " + id + ": no such loop");
            }
        }
        return null;
    }

    /** Inserts the iteration and moves the loop's count to it, both or neither. */
    static Void recordIteration(Connection c, IterationRecord it, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO iterations ("
                + Rows.ITERATION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bindIteration(ps, it);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new StoreException("record iteration " + it.number() + " of loop "
                        + it.loopId() + ": already recorded (" + e.getMessage() + ")", e);
            }
            if (isForeignKeyViolation(e)) {
                throw new StoreException("record iteration " + it.number() + " of loop "
                        + it.loopId() + ": no such loop (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE loops SET iterations = ?, updated_at = ? WHERE id = ?")) {
            ps.setInt(1, it.number());
            ps.setString(2, now.toString());
            ps.setString(3, it.loopId());
            ps.executeUpdate();
        }
        return null;
    }

    static Void beginIteration(Connection c, String loopId, int number, Instant startedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO running_iterations (loop_id, number, started_at) VALUES (?, ?, ?)"
                        // As a fresh row: the command of an earlier iteration is not this one's.
                        + " ON CONFLICT (loop_id) DO UPDATE SET number = excluded.number,"
                        + " started_at = excluded.started_at, pgid = NULL, pgid_start = NULL, cgroup = NULL")) {
            ps.setString(1, loopId);
            ps.setInt(2, number);
            ps.setString(3, startedAt.toString());
            ps.executeUpdate();
        }
        return null;
    }

    static Void recordCommand(Connection c, String loopId, long pgid, long pgidStart, String cgroup)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE running_iterations SET pgid = ?, pgid_start = ?, cgroup = ? WHERE loop_id = ?")) {
            ps.setLong(1, pgid);
            ps.setLong(2, pgidStart);
            ps.setString(3, cgroup);
            ps.setString(4, loopId);
            ps.executeUpdate();
        }
        return null;
    }

    /**
     * Moves the loop from queued to running and marks iteration {@code number} in progress, both
     * or neither.
     *
     * @return false when the loop was not queued; nothing changed
     */
    static Boolean startLoop(Connection c, String loopId, int number, Instant startedAt) throws SQLException {
        if (!updateState(c, loopId, LoopState.QUEUED, LoopState.RUNNING, null, startedAt)) {
            return false;
        }
        beginIteration(c, loopId, number, startedAt);
        return true;
    }

    /**
     * Records the iteration, saves the state it left, clears the in-progress mark and, when
     * {@code end} is given, moves the loop from running to it — all or nothing.
     *
     * @return whether the loop moved to {@code end} (always false without one)
     */
    static Boolean finishIteration(Connection c, IterationRecord it, String stateJson, LoopState end, String reason,
                                   Instant now) throws SQLException {
        recordIteration(c, it, now);
        saveState(c, it.loopId(), stateJson, now);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM running_iterations WHERE loop_id = ?")) {
            ps.setString(1, it.loopId());
            ps.executeUpdate();
        }
        return end != null && updateState(c, it.loopId(), LoopState.RUNNING, end, reason, now);
    }

    /** SQLite's result codes, or PostgreSQL's SQLSTATE 23505 (unique_violation). */
    private static boolean isUniqueViolation(SQLException e) {
        return e instanceof SQLiteException s
                ? s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                : "23505".equals(e.getSQLState());
    }

    /** SQLite's result code, or PostgreSQL's SQLSTATE 23503 (foreign_key_violation). */
    private static boolean isForeignKeyViolation(SQLException e) {
        return e instanceof SQLiteException s
                ? s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY
                : "23503".equals(e.getSQLState());
    }
}
