package dev.aar.core.extract.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StorableNamesTest {

    @Test
    void segmentsAreMeasuredInUtf8Bytes() {
        assertThat(StorableNames.refusal("src/" + "a".repeat(255) + "/x.js")).isNull();
        assertThat(StorableNames.refusal("src/" + "a".repeat(256) + "/x.js")).contains("256 bytes");
        assertThat(StorableNames.refusal("é".repeat(127) + "a")).isNull();
        assertThat(StorableNames.refusal("é".repeat(128))).contains("256 bytes");
        for (String s : new String[] {"", "abc", "é", "€", "😀x", "a😀"}) {
            assertThat(StorableNames.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void windowsRulesApplyOnlyOnWindows() {
        for (String name : new String[] {"src/CON", "src/nul.txt", "Com1.js/x", "lpt9", "a/b.", "a/b /c"}) {
            assertThat(StorableNames.refusal(name, true, null)).as(name).isNotNull();
            assertThat(StorableNames.refusal(name, false, null)).as(name).isNull();
        }
        assertThat(StorableNames.refusal("src/console.js", true, null)).isNull();
        assertThat(StorableNames.refusal("src/CONFIG", true, null)).isNull();
    }
}
