package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {

    private static ConfigSection section(String json) {
        return ConfigSection.of(ConfigSection.parse(json, "t"), "Demo");
    }

    @Test
    void keysMatchCaseInsensitivelyAndNullMeansUnset() {
        ConfigSection s = section("{\"demo\": {\"maxthings\": \"12\", \"Flag\": \"TRUE\", \"Name\": null, \"Ratio\": 1e3}}");
        assertThat(s.present()).isTrue();
        assertThat(s.wholeInt("MaxThings")).contains(12);
        assertThat(s.bool("flag")).contains(true);
        assertThat(s.string("Name")).isEmpty();
        assertThat(s.whole("Ratio", null)).hasValue(1000);
        assertThat(s.finish(ConfigSection.UnknownKeys.REFUSE)).isEmpty();
    }

    @Test
    void aMissingSectionIsEmptyAndAWrongOneIsRefused() {
        assertThat(section("{}").present()).isFalse();
        assertThat(section("").present()).isFalse();
        assertThatThrownBy(() -> section("{\"Demo\": [1]}")).isInstanceOf(ConfigException.class)
                .hasMessage("Demo must be a JSON object, was ARRAY");
    }

    @Test
    void theOneUnknownKeyRuleWarnsOrRefusesNamingTheKey() {
        ConfigSection warn = section("{\"Demo\": {\"Known\": 1, \"Typo\": 2}}");
        warn.wholeInt("Known");
        assertThat(warn.finish(ConfigSection.UnknownKeys.WARN)).isEqualTo(List.of("unknown configuration key Demo.Typo ignored"));

        ConfigSection refuse = section("{\"Demo\": {\"Known\": 1, \"Typo\": 2}}");
        refuse.wholeInt("Known");
        refuse.bool("Other");
        assertThatThrownBy(() -> refuse.finish(ConfigSection.UnknownKeys.REFUSE)).isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key Demo.Typo; known: Known, Other");
    }

    @Test
    void wrongValuesNameKeyAndValueButNeverASecret() {
        ConfigSection s = section("{\"Demo\": {\"N\": \"five\", \"Big\": 99999999999, \"Key\": 12345, \"B\": \"yes\"}}");
        assertThatThrownBy(() -> s.whole("N", "1..9")).hasMessage("Demo.N = \"five\" is not a whole number; allowed: 1..9");
        assertThatThrownBy(() -> s.wholeInt("Big")).hasMessageContaining("Demo.Big = 99999999999 is not a whole number of at most");
        assertThatThrownBy(() -> s.secret("Key")).hasMessage("Demo.Key is not a string (value hidden: it may be a secret)");
        assertThatThrownBy(() -> s.bool("B")).hasMessage("Demo.B = \"yes\" is not a boolean; allowed: true, false");
    }

    @Test
    void malformedJsonNamesThePlaceAndHidesQuotedText() {
        assertThatThrownBy(() -> ConfigSection.parse("{\"Demo\": {\"Key\": 'sk-secret'}}", "app.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("app.json is not valid JSON at line 1")
                .hasMessageNotContaining("sk-secret");
    }
}
