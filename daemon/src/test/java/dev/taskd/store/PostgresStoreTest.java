package dev.taskd.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Every test of {@link StoreTest}, on a real PostgreSQL: one database for the class, emptied before each test. */
class PostgresStoreTest extends StoreTest {

    private static PostgresTarget database;

    @BeforeAll
    static void createDatabase() {
        database = PostgresServer.shared().newDatabase("store");
    }

    @Override
    Store openStore() {
        return Store.open(database, dataDir.resolve("data"));
    }

    @Override
    @BeforeEach
    void open() {
        Store.open(database, dataDir.resolve("data")).close(); // creates the tables on first use
        try (Connection c = DriverManager.getConnection(database.url()); Statement s = c.createStatement()) {
            s.execute("TRUNCATE loops, iterations, running_iterations, meta, idempotency_keys, loop_notes");
        } catch (SQLException e) {
            throw new IllegalStateException("emptying " + database.url() + ": " + e, e);
        }
        super.open();
    }
}
