package dev.taskd.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The SQL of a schedule's fire in a cluster: the (schedule, fire time) row is inserted by one node
 * only, and that node fires. Every node computes the same fire times from the same generation, so
 * each tries the same row; the primary key decides.
 */
final class ScheduleFires {

    /**
     * How long a claim is kept after it was made: longer than a node is down and still catches up
     * a fire time it missed (which other nodes fired meanwhile), so a fire time is claimed once.
     */
    static final Duration KEPT = Duration.ofDays(7);

    private ScheduleFires() {
    }

    static boolean claim(Connection c, String schedule, Instant time, String node, boolean prune) throws SQLException {
        if (prune) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedule_fires WHERE fired_at < now() - ?"
                    + " * interval '1 second'")) {
                ps.setLong(1, KEPT.toSeconds());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_fires (schedule, fire_time, node, fired_at)"
                + " VALUES (?, ?, ?, now()) ON CONFLICT (schedule, fire_time) DO NOTHING")) {
            ps.setString(1, schedule);
            ps.setObject(2, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
            ps.setString(3, node);
            return ps.executeUpdate() == 1;
        }
    }
}
