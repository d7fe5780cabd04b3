package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default quota settings of {@code ScaleLimits}: read, validated, and "unlimited" by default. */
class DefaultQuotaConfigTest {

    private final ConfigLoader loader = ConfigLoader.withEnvironment(Map.of());

    @Test
    void byDefaultOrganizationsWithoutARowAreUnlimited() {
        ScaleLimits limits = ScaleLimits.defaults();
        assertThat(limits.defaultQuotaUnlimited()).isTrue();
        assertThat(limits.defaultMonthlyTokenLimit()).isZero();
    }

    @Test
    void theThreeKeysAreReadAndAnyOneMakesTheDefaultLimited() {
        AarConfig config = loader.parse("""
                { "ScaleLimits": { "DefaultMonthlyTokenLimit": 2000000, "DefaultMonthlyProjectLimit": "20",
                                   "DefaultStorageLimitBytes": 1e9 } }""", "test");
        ScaleLimits limits = config.scaleLimits();
        assertThat(limits.defaultMonthlyTokenLimit()).isEqualTo(2_000_000);
        assertThat(limits.defaultMonthlyProjectLimit()).isEqualTo(20);
        assertThat(limits.defaultStorageLimitBytes()).isEqualTo(1_000_000_000L);
        assertThat(limits.defaultQuotaUnlimited()).isFalse();
        assertThat(limits.toBuilder().build()).isEqualTo(limits);
        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> loader.parse("{ \"ScaleLimits\": { \"DefaultStorageLimitBytes\": -1 } }", "a.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ScaleLimits.DefaultStorageLimitBytes = -1 is out of range; allowed: 0..");
        assertThatThrownBy(() -> loader.parse("{ \"ScaleLimits\": { \"DefaultMonthlyProjectLimit\": 4294967296 } }", "a.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ScaleLimits.DefaultMonthlyProjectLimit = 4294967296 is out of range; allowed: 0..2147483647");
        assertThatThrownBy(() -> ScaleLimits.builder().defaultMonthlyTokenLimit(-5).build())
                .hasMessageContaining("ScaleLimits.DefaultMonthlyTokenLimit = -5");
    }
}
