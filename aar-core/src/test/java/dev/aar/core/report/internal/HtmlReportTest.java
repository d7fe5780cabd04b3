package dev.aar.core.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.report.Reports;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private final String html = HtmlReport.render(Reports.sample("r1", "p1", Instant.parse("2026-11-27T10:00:00Z")));

    @Test
    void escapesEverythingSoInjectedMarkupIsInert() {
        assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;/pre&gt;&lt;script&gt;alert(2)");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;");
        assertThat(html).contains("src/&lt;img src=x onerror=alert(1)&gt;.java:12");
        assertThat(html).contains("<title>Architecture review: shop &lt;backend&gt;</title>");
    }

    @Test
    void isSelfContained() {
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>");
        assertThat(html).doesNotContainPattern("(?i)<link|<script|src=\"|https?://|@import|url\\(");
    }

    @Test
    void groupsBySeverityThenRuleWithAnchoredLocations() {
        int critical = html.indexOf("id=\"severity-critical\"");
        int high = html.indexOf("id=\"severity-high\"");
        int medium = html.indexOf("id=\"severity-medium\"");
        int info = html.indexOf("id=\"severity-info\"");
        assertThat(critical).isPositive().isLessThan(high);
        assertThat(high).isLessThan(medium);
        assertThat(medium).isLessThan(info);
        assertThat(html).doesNotContain("id=\"severity-low\"");
        assertThat(html).contains("<h3 id=\"rule-medium-dependency-cycle\">dependency-cycle (2)</h3>");
        assertThat(html).contains("<div class=\"finding\" id=\"finding-3\"><a class=\"loc\" href=\"#finding-3\">src/a/A.java:3</a>");
        assertThat(html).contains("<td class=\"loc\">src/a/A.java</td><td><a href=\"#finding-3\">3</a></td>");
    }
}
