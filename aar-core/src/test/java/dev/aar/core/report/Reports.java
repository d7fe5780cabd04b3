package dev.aar.core.report;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Phase;
import dev.aar.core.event.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Sample reports for the report tests. */
public final class Reports {

    private Reports() {
    }

    public static Report sample(String reportId, String projectId, Instant createdAt) {
        Inventory inventory = new Inventory(3, 120, List.of(new Inventory.LanguageStats("Java", 2, 100),
                new Inventory.LanguageStats("Markdown", 1, 20)),
                List.of(new Inventory.BuildManifest("pom.xml", "Maven", List.of("g:a:1.0"), null)),
                1, 1, 60, 40, 0.667);
        return Report.builder(reportId, projectId, "job-1")
                .projectName("shop <backend>")
                .createdAt(createdAt)
                .preflight(new PreflightNumbers(3, 4096, 1200, 0.000024, 1))
                .phaseTime(Phase.EXTRACTING, Duration.ofMillis(120))
                .phaseTime(Phase.ANALYZING, Duration.ofMillis(900))
                .phaseTime(Phase.EXTRACTING, Duration.ofMillis(30))
                .spend(new Spend(1234, 0.0000246))
                .inventory(inventory)
                .findings(List.of(
                        new Finding(Severity.INFO, "inventory-languages", "3 files", null, null, null),
                        new Finding(Severity.MEDIUM, "dependency-cycle", "a -> b -> a", "src/a/A.java", 3, "a -> b\nb -> a"),
                        new Finding(Severity.CRITICAL, "secret-private-key", "Hard-coded a private key", "k.pem", 1,
                                "-----BEGIN PRIVATE KEY-----"),
                        new Finding(Severity.MEDIUM, "dependency-cycle", "c -> d -> c", "src/c/C.java", 7, null),
                        new Finding(Severity.HIGH, "layering-violation", "<script>alert('x')</script> & \"more\"",
                                "src/<img src=x onerror=alert(1)>.java", 12, "</pre><script>alert(2)</script>```")))
                .build();
    }
}
