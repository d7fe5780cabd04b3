package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisConfigReaderTest {

    @Test
    void readsTheAnalysisSectionBesideTheOthers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("appsettings.json");
        Files.writeString(file, """
                {
                  // other sections are ConfigLoader's business
                  "ScaleLimits": { "MaxUploadSizeMb": 100 },
                  "analysis": {
                    "maxFunctionLines": 120,
                    "MaxNestingDepth": 6,
                    "DisabledAnalyzers": ["hotspots"],
                    "LayerRules": ["..domain.. must not depend on ..infrastructure.."],
                  }
                }
                """);
        AnalysisConfig config = AnalysisConfigReader.load(file);
        assertThat(config.maxFunctionLines()).isEqualTo(120);
        assertThat(config.maxNestingDepth()).isEqualTo(6);
        assertThat(config.maxFileLines()).isEqualTo(AnalysisConfig.DEFAULT_MAX_FILE_LINES);
        assertThat(config.isEnabled("hotspots")).isFalse();
        assertThat(config.layerRules()).extracting(Object::toString)
                .containsExactly("..domain.. must not depend on ..infrastructure..");
    }

    @Test
    void givesDefaultsWithoutTheSection() {
        assertThat(AnalysisConfigReader.parse("{\"ScaleLimits\":{}}", "t")).isEqualTo(AnalysisConfig.defaults());
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> AnalysisConfigReader.parse("{\"Analysis\":{\"MaxFileLines\":0}}", "t"))
                .isInstanceOf(ConfigException.class).hasMessage("Analysis.MaxFileLines = 0 is out of range; allowed: 10..10000000");
        assertThatThrownBy(() -> AnalysisConfigReader.parse("{\"Analysis\":{\"MaxFileLine\":10}}", "t"))
                .hasMessageContaining("unknown configuration key Analysis.MaxFileLine");
        assertThatThrownBy(() -> AnalysisConfigReader.parse("{\"Analysis\":{\"TopModules\":\"five\"}}", "t"))
                .hasMessageContaining("Analysis.TopModules = \"five\" is not a whole number");
        assertThatThrownBy(() -> AnalysisConfigReader.parse("{\"Analysis\":{\"LayerRules\":[\"a.. uses b..\"]}}", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Analysis.LayerRules");
    }
}
