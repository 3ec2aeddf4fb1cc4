package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SQL of each read. Runs on the caller's thread with a pooled read-only connection. */
final class LoopQueries {

    private static final String SELECT_LOOPS = "SELECT " + Rows.LOOP_COLUMNS + " FROM loops";

    private LoopQueries() {
    }

    static Optional<LoopRecord> loop(Connection c, String id) throws SQLException {
        List<LoopRecord> found = loops(c, SELECT_LOOPS + " WHERE id = ?", id);
        return found.stream().findFirst();
    }

    static List<LoopRecord> page(Connection c, LoopState state, String type, int limit,
                                 String afterId, boolean newestFirst) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT_LOOPS).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.name());
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (afterId != null) {
            sql.append(newestFirst ? " AND id < ?" : " AND id > ?");
            args.add(afterId);
        }
        sql.append(newestFirst ? " ORDER BY id DESC LIMIT ?" : " ORDER BY id LIMIT ?");
        args.add(limit);
        return loops(c, sql.toString(), args.toArray());
    }

    /** Non-terminal loops in the order a restart should resume them: priority, then age. */
    static List<LoopRecord> unfinished(Connection c) throws SQLException {
        String states = Arrays.stream(LoopState.values()).filter(s -> !s.terminal())
                .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        return loops(c, SELECT_LOOPS + " WHERE state IN (" + states + ")"
                + " ORDER BY priority DESC, id");
    }

    static Set<Long> generationsInUse(Connection c) throws SQLException {
        String states = Arrays.stream(LoopState.values()).filter(s -> !s.terminal())
                .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        Set<Long> generations = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT generation FROM loops WHERE state IN (" + states + ")");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                generations.add(rs.getLong(1));
            }
        }
        return generations;
    }

    static List<IterationRecord> iterations(Connection c, String loopId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.ITERATION_COLUMNS
                + " FROM iterations WHERE loop_id = ? ORDER BY number")) {
            ps.setString(1, loopId);
            List<IterationRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.iteration(rs));
                }
            }
            return out;
        }
    }

    static Map<LoopState, Long> countsByState(Connection c) throws SQLException {
        Map<LoopState, Long> counts = new EnumMap<>(LoopState.class);
        for (LoopState s : LoopState.values()) {
            counts.put(s, 0L);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT state, count(*) FROM loops GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(LoopState.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Ids starting with the prefix; substr compares characters, so no LIKE escaping needed. */
    static List<LoopRecord> byPrefix(Connection c, String prefix, int limit) throws SQLException {
        return loops(c, SELECT_LOOPS + " WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?",
                prefix.codePointCount(0, prefix.length()), prefix, limit);
    }

    /** The one loop whose id starts with the prefix; fails naming how many when more do. */
    static Optional<LoopRecord> onlyByPrefix(Connection c, String prefix) throws SQLException {
        List<LoopRecord> found = byPrefix(c, prefix, 2);
        if (found.size() > 1) {
            throw new StoreException("loop id prefix '" + prefix + "' is ambiguous: "
                    + countByPrefix(c, prefix) + " loops match; give more characters");
        }
        return found.stream().findFirst();
    }

    static long countByPrefix(Connection c, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM loops WHERE substr(id, 1, ?) = ?")) {
            ps.setInt(1, prefix.codePointCount(0, prefix.length()));
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<LoopRecord> loops(Connection c, String sql, Object... args)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<LoopRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.loop(rs));
                }
            }
            return out;
        }
    }

    static List<RunningIteration> cutOff(Connection c) throws SQLException {
        List<RunningIteration> cut = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT loop_id, number, started_at, pgid, pgid_start, cgroup FROM running_iterations ORDER BY loop_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                cut.add(new RunningIteration(rs.getString(1), rs.getInt(2), Instant.parse(rs.getString(3)), rs.getLong(4),
                        rs.getLong(5), rs.getString(6)));
            }
        }
        return cut;
    }
}
