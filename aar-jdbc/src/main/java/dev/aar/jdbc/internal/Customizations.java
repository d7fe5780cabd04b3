package dev.aar.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/** Picks the {@link Customization} for a database from its JDBC metadata. */
public final class Customizations {

    private Customizations() {
    }

    /** Returns the customization for the database behind {@code dataSource}. */
    public static Customization detect(DataSource dataSource) {
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw Sql.failure("cannot connect to read the database's metadata", e);
        }
        return forProduct(product);
    }

    /** Returns the customization for a JDBC database product name. */
    static Customization forProduct(String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return new PostgresCustomization();
        }
        if (p.contains("sqlite")) {
            return new SqliteCustomization();
        }
        throw new IllegalArgumentException("database must be PostgreSQL or SQLite, was '" + product + "'");
    }
}
