package dev.aar.core.event;

import dev.aar.core.redact.Redactor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One thing an analyzer found.
 *
 * @param severity how serious it is
 * @param rule the rule's id, for example "dependency-cycle"
 * @param description what is wrong and why it matters
 * @param file path within the project, or null for project-wide findings
 * @param line 1-based line, or null
 * @param evidence a short excerpt supporting the finding (secrets masked), or null
 *
 * <p>Whoever builds a finding (a built-in analyzer, a host's own, a report read back), its
 * description and evidence pass through {@link Redactor}: secrets are masked (every value when
 * {@code file} is a {@code .env} file) and absolute paths in the description shortened.
 */
public record Finding(Severity severity, String rule, String description, @Nullable String file,
        @Nullable Integer line, @Nullable String evidence) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(description, "description");
        description = Redactor.forClient(description);
        evidence = Redactor.redact(evidence, file);
    }
}
