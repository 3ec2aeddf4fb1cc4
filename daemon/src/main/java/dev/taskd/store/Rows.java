package dev.taskd.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/** Maps records to and from rows. Instants are ISO-8601 text: exact, and readable in sqlite3. */
final class Rows {

    static final String LOOP_COLUMNS = "id, type, type_version, inputs, state_json, state, reason,"
            + " iterations, priority, after, workdir, created_at, updated_at, generation, iteration_limit";
    static final String ITERATION_COLUMNS = "loop_id, number, started_at, ended_at, outcome,"
            + " validation_exit_code, output_tail, generation, tokens_in, tokens_out, error, cost";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> INPUTS =
            new TypeReference<>() { };
    private static final TypeReference<List<String>> IDS = new TypeReference<>() { };

    private Rows() {
    }

    static void bindLoop(PreparedStatement ps, LoopRecord l) throws SQLException {
        ps.setString(1, l.id());
        ps.setString(2, l.type());
        ps.setString(3, l.typeVersion());
        ps.setString(4, toJson(l.id(), l.inputs()));
        ps.setString(5, l.stateJson());
        ps.setString(6, l.state().name());
        ps.setString(7, l.reason());
        ps.setInt(8, l.iterations());
        ps.setInt(9, l.priority());
        ps.setString(10, toJson(l.id(), l.after()));
        ps.setString(11, l.workdir());
        ps.setString(12, l.createdAt().toString());
        ps.setString(13, l.updatedAt().toString());
        ps.setLong(14, l.generation());
        if (l.iterationLimit() > 0) {
            ps.setInt(15, l.iterationLimit());
        } else {
            ps.setNull(15, Types.INTEGER);
        }
    }

    static LoopRecord loop(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new LoopRecord(id, rs.getString(2), rs.getString(3),
                fromJson(id, rs.getString(4), INPUTS), rs.getString(5),
                LoopState.valueOf(rs.getString(6)), rs.getString(7), rs.getInt(8), rs.getInt(9),
                fromJson(id, rs.getString(10), IDS), rs.getString(11),
                Instant.parse(rs.getString(12)), Instant.parse(rs.getString(13)), rs.getLong(14), rs.getInt(15));
    }

    static void bindIteration(PreparedStatement ps, IterationRecord i) throws SQLException {
        ps.setString(1, i.loopId());
        ps.setInt(2, i.number());
        ps.setString(3, i.startedAt().toString());
        ps.setString(4, i.endedAt().toString());
        ps.setString(5, i.outcome().name());
        if (i.validationExitCode() == null) {
            ps.setNull(6, Types.INTEGER);
        } else {
            ps.setInt(6, i.validationExitCode());
        }
        ps.setString(7, i.outputTail());
        ps.setLong(8, i.generation());
        ps.setLong(9, i.tokensIn());
        ps.setLong(10, i.tokensOut());
        ps.setString(11, i.error());
        ps.setDouble(12, i.cost());
    }

    static IterationRecord iteration(ResultSet rs) throws SQLException {
        int exit = rs.getInt(6);
        Integer exitCode = rs.wasNull() ? null : exit;
        return new IterationRecord(rs.getString(1), rs.getInt(2), Instant.parse(rs.getString(3)),
                Instant.parse(rs.getString(4)), IterationOutcome.valueOf(rs.getString(5)),
                exitCode, rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getString(11), rs.getDouble(12));
    }

    /** Closes {@code c} (when not null) after {@code failure}; a failure to close is kept on it, suppressed. */
    static void closeQuietly(Connection c, Exception failure) {
        try (c) {
            // closed by try-with-resources, which skips a null
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static String toJson(String loopId, Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException(
                    "loop " + loopId + ": cannot write JSON: " + e.getMessage(), e);
        }
    }


    private static <T> T fromJson(String loopId, String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("loop " + loopId + ": stored JSON is unreadable: "
                    + e.getMessage(), e);
        }
    }
}
