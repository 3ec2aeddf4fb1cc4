package dev.taskd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresSchemaTest {

    @TempDir
    Path dataDir;

    @Test
    void everySqliteSchemaVersionHasItsPostgresTwin() {
        assertThat(PostgresSchema.STEPS.length).as("PostgresSchema.STEPS mirrors Schema.STEPS, version for version")
                .isEqualTo(Schema.STEPS.length).isEqualTo(Schema.VERSION);
    }

    @Test
    void daemonsOpeningTogetherMigrateOnceAndAllSeeTheSameSchema() {
        PostgresTarget db = PostgresServer.shared().newDatabase("schema_race");
        List<CompletableFuture<Store>> opening = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path own = dataDir.resolve("node" + i);
            opening.add(CompletableFuture.supplyAsync(() -> Store.open(db, own)));
        }
        List<Store> stores = opening.stream().map(CompletableFuture::join).toList();
        stores.getFirst().insertLoop(Loops.loop("L1"));
        assertThat(stores.getLast().loop("L1")).isPresent();
        stores.forEach(Store::close);
        assertThat(query(db, "SELECT count(*), max(version) FROM taskd_schema WHERE part = 'store'")).isEqualTo("1," + Schema.VERSION);
    }

    @Test
    void aDatabaseAtAnOlderVersionIsMigratedAndKeepsItsRows() throws SQLException {
        PostgresTarget db = PostgresServer.shared().newDatabase("schema_old");
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            for (String ddl : PostgresSchema.STEPS[0]) {
                s.execute(ddl);
            }
            s.execute("CREATE TABLE taskd_schema (part TEXT PRIMARY KEY, version BIGINT NOT NULL)");
            s.execute("INSERT INTO taskd_schema VALUES ('store', 1)");
            s.execute("INSERT INTO loops VALUES ('OLD', 't', '1', '{}', '{}', 'QUEUED', NULL, 0, 0, '[]', NULL,"
                    + " '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')");
        }
        try (Store store = Store.open(db, dataDir)) {
            assertThat(store.loop("OLD").orElseThrow().generation()).isZero();
            store.putMeta("k", "v");
            assertThat(store.meta("k")).contains("v");
        }
    }

    @Test
    void aDatabaseOfANewerTaskdIsRefusedWithBothVersions() throws SQLException {
        PostgresTarget db = PostgresServer.shared().newDatabase("schema_new");
        Store.open(db, dataDir).close();
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
            s.execute("UPDATE taskd_schema SET version = 99 WHERE part = 'store'");
        }
        assertThatThrownBy(() -> Store.open(db, dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99 is newer than this taskd knows (" + Schema.VERSION + ")")
                .hasMessageContaining("run a newer taskd");
    }

    @Test
    void severalNodesOpenTheSameDatabaseSideBySide() {
        PostgresTarget db = PostgresServer.shared().newDatabase("two_nodes");
        try (StorageHealth health = StorageHealth.unobserved(dataDir); Store first = Store.open(db, health);
             Store second = Store.open(db, health)) {
            first.insertLoop(Loops.loop("L1"));
            assertThat(second.loop("L1")).isPresent();
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedWithoutItsQuery() {
        PostgresTarget nowhere = new PostgresTarget("jdbc:postgresql://127.0.0.1:1/none?password=secret&connectTimeout=1",
                "", "");
        assertThatThrownBy(() -> Store.open(nowhere, dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
    }

    private static String query(PostgresTarget db, String sql) {
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1) + "," + rs.getString(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
