package dev.aar.core.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.report.Reports;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private final String md = MarkdownReport.render(Reports.sample("r1", "p1", Instant.parse("2026-11-27T10:00:00Z")));

    @Test
    void groupsBySeverityThenRule() {
        assertThat(md).startsWith("# Architecture review: shop &lt;backend&gt;\n");
        assertThat(md.indexOf("## Critical")).isLessThan(md.indexOf("## High"));
        assertThat(md.indexOf("## High")).isLessThan(md.indexOf("## Medium"));
        assertThat(md).contains("### dependency-cycle (2)", "- **src/a/A.java:3**: a -&gt; b -&gt; a");
        assertThat(md).contains("| **Total** | **5** |");
    }

    @Test
    void escapesHtmlAndKeepsEvidenceInsideItsFence() {
        // code blocks show their content literally; everywhere else markup must be escaped
        String outsideFences = md.replaceAll("(?s)\n  (`{3,})\n.*?\n  \\1\n", "\n");
        assertThat(outsideFences).doesNotContain("<script").doesNotContain("<img").doesNotContain("```");
        assertThat(md).contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"more\"");
        // the evidence holds ``` so the fence must be longer
        assertThat(md).contains("  ````\n  </pre><script>alert(2)</script>```\n  ````");
    }
}
