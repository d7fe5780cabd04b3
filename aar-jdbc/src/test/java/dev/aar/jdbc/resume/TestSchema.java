package dev.aar.jdbc.resume;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh PostgreSQL schema on the test server, reached through the JDBC URL's {@code currentSchema}; dropped on close. */
final class TestSchema implements AutoCloseable {

    static final String BASE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String name;

    private TestSchema(String name) {
        this.name = name;
        execute("CREATE SCHEMA " + name);
    }

    static TestSchema create() {
        return new TestSchema("aar_resume_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    String url() {
        return BASE_URL + "&currentSchema=" + name;
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(BASE_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
