package dev.aar.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.Inventory.BuildManifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** TOML manifests from strangers: read with jackson-dataformat-toml, refused files become problems, never crashes. */
class ManifestParserTomlTest {

    @Test
    void readsCargoTablesInlineTablesAndTargetSections() {
        BuildManifest m = ManifestParser.parse("rs/Cargo.toml", String.join("\n",
                "[package]", "name = \"rs\" # the crate", "[dependencies]", "serde = \"1.0\"",
                "tokio = { version = \"1.36\", features = [\"full\"] }", "local = { path = \"../local\" }",
                "[dev-dependencies]", "proptest = \"1\"", "[target.'cfg(unix)'.dependencies]", "nix = \"0.28\"",
                "[dependencies.clap]", "version = \"4\""));
        assertThat(m.problem()).isNull();
        assertThat(m.dependencies()).containsExactly("serde@1.0", "tokio@1.36", "local", "clap@4", "proptest@1", "nix@0.28");
    }

    @Test
    void readsPyprojectAndPoetryGroups() {
        BuildManifest m = ManifestParser.parse("pyproject.toml", String.join("\n",
                "[project]", "dependencies = [", "  \"pandas>=2\", # data", "  'scikit-learn',", "]",
                "[tool.poetry.dependencies]", "python = \"^3.11\"", "httpx = { version = \"^0.27\" }",
                "[tool.poetry.group.dev.dependencies]", "pytest = \"^8\""));
        assertThat(m.problem()).isNull();
        assertThat(m.dependencies()).containsExactly("pandas>=2", "scikit-learn", "httpx@^0.27", "pytest@^8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cargo.toml", "pyproject.toml"})
    void hostileTomlBecomesAProblemNotACrash(String name) {
        String deepArrays = "a = " + "[".repeat(100_000) + "]".repeat(100_000);
        String deepTables = "a = " + "{b = ".repeat(50_000) + "1" + "}".repeat(50_000);
        String unterminated = "[dependencies]\nserde = \"1.0\nx = [1, 2";
        String duplicate = "[dependencies]\nserde = \"1\"\nserde = \"2\"";
        String garbage = "\u0000\u0001[[[===]]]\"\"\"";
        for (String text : new String[] {deepArrays, deepTables, unterminated, duplicate, garbage}) {
            BuildManifest m = ManifestParser.parse("x/" + name, text);
            assertThat(m).as(text.substring(0, Math.min(40, text.length()))).isNotNull();
            assertThat(m.problem()).as(text.substring(0, Math.min(40, text.length()))).startsWith("could not be read completely");
        }
    }

    @Test
    void aHugeArrayIsReadInWorkLinearInItsSize() {
        String small = "[dependencies]\nx = { version = \"1\", features = [" + "\"f\",".repeat(1_000) + "] }";
        String large = "[dependencies]\nx = { version = \"1\", features = [" + "\"f\",".repeat(100_000) + "] }";
        Work smallWork = Work.unchecked();
        Work largeWork = Work.unchecked();
        assertThat(ManifestParser.parse("Cargo.toml", small, smallWork).dependencies()).containsExactly("x@1");
        assertThat(ManifestParser.parse("Cargo.toml", large, largeWork).dependencies()).containsExactly("x@1");
        assertThat((double) largeWork.steps() / smallWork.steps()).isLessThan(4.0 * large.length() / small.length());
    }

    @Test
    void aStopReachesTheTomlParserMidDocument() {
        StringBuilder text = new StringBuilder("[dependencies]\n");
        for (int i = 0; i < 200_000; i++) {
            text.append("crate").append(i).append(" = \"1\"\n");
        }
        int[] checks = {0};
        Work work = new Work(() -> {
            if (++checks[0] == 3) {
                throw new AnalysisGuard.Stopped();
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManifestParser.parse("Cargo.toml", text.toString(), work))
                .isInstanceOf(AnalysisGuard.Halt.class);
    }
}
