package dev.aar.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CustomizationsTest {

    @Test
    void picksByTheJdbcProductName() {
        assertThat(Customizations.forProduct("PostgreSQL")).isInstanceOf(PostgresCustomization.class);
        assertThat(Customizations.forProduct("SQLite")).isInstanceOf(SqliteCustomization.class);
    }

    @Test
    void refusesOtherDatabasesNamingThem() {
        assertThatThrownBy(() -> Customizations.forProduct("MySQL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL");
    }
}
