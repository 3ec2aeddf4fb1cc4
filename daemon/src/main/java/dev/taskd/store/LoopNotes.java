package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code loop_notes} table: what people did to loops (retry, approve, reject), each written
 * with the state move it made, in one transaction; and where a node of a cluster gave a loop a work
 * dir of its own. Thread-safe as the {@link Store} that made it.
 */
public final class LoopNotes {

    private final Writer writer;
    private final Reads reads;

    LoopNotes(Writer writer, Reads reads) {
        this.writer = writer;
        this.reads = reads;
    }

    /**
     * Moves the loop from {@code from} to {@code to} only if it is in {@code from} now, sets its
     * iteration limit when {@code iterationLimit} is positive, and records {@code note}: all or
     * nothing.
     *
     * @return false when the loop was not in {@code from}; nothing changed
     */
    public boolean move(LoopState from, LoopState to, String reason, int iterationLimit, LoopNote note) {
        Objects.requireNonNull(note, "note");
        return writer.submit(note.action() + " (" + from + "->" + to + ")", note.loopId(), c -> {
            if (!LoopWrites.updateState(c, note.loopId(), from, to, reason, note.at())) {
                return false;
            }
            if (iterationLimit > 0) {
                setLimit(c, note.loopId(), iterationLimit);
            }
            insert(c, note);
            return true;
        }, moved -> StateChange.movedIf(moved, from, to));
    }

    /**
     * Sets the loop's work dir to {@code workdir} and records {@code note}, in one transaction,
     * fenced as every write for the loop.
     */
    public void moveWorkdir(String workdir, LoopNote note) {
        writer.submit(note.action() + " " + workdir, note.loopId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET workdir = ? WHERE id = ?")) {
                ps.setString(1, workdir);
                ps.setString(2, note.loopId());
                ps.executeUpdate();
            }
            insert(c, note);
            return null;
        });
    }

    /** The loop's notes, oldest first; empty when it has none or does not exist. */
    public List<LoopNote> of(String loopId) {
        return reads.read("read notes of loop " + loopId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT loop_id, at, actor, action, iteration, detail"
                    + " FROM loop_notes WHERE loop_id = ? ORDER BY at, iteration")) {
                ps.setString(1, loopId);
                List<LoopNote> notes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        notes.add(new LoopNote(rs.getString(1), Instant.parse(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getInt(5), rs.getString(6)));
                    }
                }
                return notes;
            }
        });
    }

    private static void setLimit(Connection c, String loopId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE loops SET iteration_limit = ? WHERE id = ?")) {
            ps.setInt(1, limit);
            ps.setString(2, loopId);
            ps.executeUpdate();
        }
    }

    private static void insert(Connection c, LoopNote note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO loop_notes (loop_id, at, actor, action, iteration,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, note.loopId());
            ps.setString(2, note.at().toString());
            ps.setString(3, note.actor());
            ps.setString(4, note.action());
            ps.setInt(5, note.iteration());
            if (note.detail() == null) {
                ps.setNull(6, Types.VARCHAR);
            } else {
                ps.setString(6, note.detail());
            }
            ps.executeUpdate();
        }
    }
}
