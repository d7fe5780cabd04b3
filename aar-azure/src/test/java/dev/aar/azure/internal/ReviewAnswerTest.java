package dev.aar.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReviewAnswerTest {

    private static final Set<String> FILES = Set.of("src/A.java", "lib/b.py");

    private static List<Finding> parse(String json, int maxFindings) {
        return ReviewAnswer.parse(json, false, FILES, maxFindings, "ev");
    }

    @Test
    void severitiesMatchInAnyCaseAndUnknownOnesBecomeInfo() {
        assertThat(ReviewAnswer.severity("critical")).isEqualTo(Severity.CRITICAL);
        assertThat(ReviewAnswer.severity(" HIGH ")).isEqualTo(Severity.HIGH);
        assertThat(ReviewAnswer.severity("Blocker")).isEqualTo(Severity.INFO);
        assertThat(ReviewAnswer.severity(null)).isEqualTo(Severity.INFO);
    }

    @Test
    void rulesAreNormalisedPrefixedOnceAndBounded() {
        assertThat(ReviewAnswer.rule("Security: SQL Injection!")).isEqualTo("llm-security-sql-injection");
        assertThat(ReviewAnswer.rule("llm-coupling")).isEqualTo("llm-coupling");
        assertThat(ReviewAnswer.rule("  ")).isEqualTo("llm-review");
        assertThat(ReviewAnswer.rule("x".repeat(200))).hasSize("llm-".length() + 60);
    }

    @Test
    void pathsMustBeProjectFiles() {
        assertThat(ReviewAnswer.path("./src/A.java", FILES)).isEqualTo("src/A.java");
        assertThat(ReviewAnswer.path("/lib/b.py", FILES)).isEqualTo("lib/b.py");
        assertThat(ReviewAnswer.path("src\\A.java", FILES)).isEqualTo("src/A.java");
        assertThat(ReviewAnswer.path("../etc/passwd", FILES)).isNull();
        assertThat(ReviewAnswer.path("A.java", FILES)).isNull();
    }

    @Test
    void findingsBeyondTheMaximumAreDroppedAndTheSummaryDoesNotCount() {
        List<Finding> findings = parse("""
                {"summary": "S", "findings": [
                  {"description": "one", "line": 3, "file": "src/A.java"},
                  {"description": "two", "line": "x", "file": "lib/b.py"},
                  {"description": "three"}]}""", 2);

        assertThat(findings).extracting(Finding::description).containsExactly("S", "one", "two");
        assertThat(findings.get(1).line()).isEqualTo(3);
        assertThat(findings.get(2).line()).isNull();
    }

    @Test
    void jsonWithoutSummaryOrFindingsIsUnparsable() {
        assertThat(parse("{}", 5)).singleElement().extracting(Finding::rule).isEqualTo(ReviewAnswer.UNPARSABLE_RULE);
        assertThat(parse("[1, 2]", 5)).singleElement().extracting(Finding::rule).isEqualTo(ReviewAnswer.UNPARSABLE_RULE);
        assertThat(parse("", 5)).singleElement().satisfies(f -> assertThat(f.description()).contains("empty"));
        assertThat(parse(null, 5)).singleElement().satisfies(f -> assertThat(f.evidence()).isNull());
    }

    @Test
    void longTextsAreCut() {
        List<Finding> findings = parse("{\"summary\": \"" + "s".repeat(10_000) + "\"}", 5);

        assertThat(findings.get(0).description()).hasSize(ReviewAnswer.MAX_TEXT + 1).endsWith("…");
    }
}
