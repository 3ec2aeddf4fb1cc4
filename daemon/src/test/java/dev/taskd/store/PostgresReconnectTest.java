package dev.taskd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's session ends under it (a server restart, a proxy's idle cut): one batch fails, the next reconnects. */
class PostgresReconnectTest {

    @TempDir
    Path dataDir;

    @Test
    void aWriteAfterTheWritersSessionWasKilledFailsAloneAndTheNextOneLandsOnANewSession() throws SQLException {
        PostgresTarget db = PostgresServer.shared().newDatabase("reconnect");
        try (StorageHealth health = StorageHealth.unobserved(dataDir); Store store = Store.open(db, health)) {
            store.insertLoop(Loops.loop("L1"));
            assertThat(terminateWriter(db)).isEqualTo(1);

            assertThatThrownBy(() -> store.saveState("L1", "{\"lost\":true}")).isInstanceOf(StoreException.class);
            store.saveState("L1", "{\"kept\":true}");

            assertThat(store.loop("L1").orElseThrow().stateJson()).isEqualTo("{\"kept\":true}");
            assertThat(health.writable()).as("a lost session is not a full disk").isTrue();
            try (Store second = Store.open(db, dataDir.resolve("other"))) {
                assertThat(second.loop("L1")).isPresent();
            }
        }
    }

    /** Ends the store's writing session (the one whose application is taskd) on {@code db}; how many were ended. */
    private static int terminateWriter(PostgresTarget db) throws SQLException {
        String name = db.url().substring(db.url().lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = '" + name + "' AND application_name = 'taskd'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
