package dev.aar.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Phase;
import dev.aar.core.report.internal.ReportJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final Report report = Reports.sample("r1", "p1", Instant.parse("2026-11-27T10:00:00.123456Z"));

    @Test
    void sortsFindingsBySeverityThenRuleFileAndLine() {
        assertThat(report.findings()).extracting(Finding::rule).containsExactly("secret-private-key",
                "layering-violation", "dependency-cycle", "dependency-cycle", "inventory-languages");
        assertThat(report.findings().get(2).file()).isEqualTo("src/a/A.java");
    }

    @Test
    void summarisesAndSumsPhaseTimes() {
        Summary s = report.summary();
        assertThat(s.total()).isEqualTo(5);
        assertThat(s.critical()).isEqualTo(1);
        assertThat(s.high()).isEqualTo(1);
        assertThat(s.medium()).isEqualTo(2);
        assertThat(s.low()).isZero();
        assertThat(s.info()).isEqualTo(1);
        assertThat(s.byRule()).containsEntry("dependency-cycle", 2);
        assertThat(report.phaseTimings()).containsExactly(new PhaseTiming(Phase.EXTRACTING, 150),
                new PhaseTiming(Phase.ANALYZING, 900));
    }

    @Test
    void jsonRoundTripsExactly() {
        byte[] json = ReportJson.write(report);
        assertThat(ReportJson.read(json)).isEqualTo(report);
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\"severity\" : \"Critical\"", "\"phase\" : \"Extracting\"",
                "\"createdAt\" : \"2026-11-27T10:00:00.123456Z\"");
    }

    @Test
    void jsonRoundTripsAnEmptyReport() {
        Report empty = Report.builder("r2", "p2", "j2").createdAt(Instant.EPOCH).build();
        assertThat(ReportJson.read(ReportJson.write(empty))).isEqualTo(empty);
    }
}
