package dev.aar.core.report.internal;

import dev.aar.core.event.Phase;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.PreflightNumbers;
import dev.aar.core.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of a report's "Run" table, estimate beside actual, shared by the HTML and Markdown renderings. */
final class RunComparison {

    /** One row; a side that is unknown is "–". */
    record Row(String name, String estimated, String actual) {
    }

    private static final String NONE = "–";

    private RunComparison() {
    }

    static List<Row> rows(Report r) {
        PreflightNumbers p = r.preflight();
        List<Row> rows = new ArrayList<>();
        if (p != null) {
            rows.add(new Row("Files", String.valueOf(p.fileCount()), NONE));
            rows.add(new Row("Bytes", String.valueOf(p.totalBytes()), NONE));
        }
        rows.add(new Row("Tokens", p == null ? NONE : String.valueOf(p.estimatedTokens()), String.valueOf(r.spend().tokens())));
        rows.add(new Row("Cost", p == null ? NONE : money(p.estimatedCost()), money(r.spend().cost())));
        long estimatedTotal = 0;
        long actualTotal = 0;
        for (Phase phase : Phase.values()) {
            Long estimated = p == null ? null : millis(p.estimatedPhaseTimings(), phase);
            Long actual = millis(r.phaseTimings(), phase);
            if (estimated == null && actual == null) {
                continue;
            }
            estimatedTotal += estimated == null ? 0 : estimated;
            actualTotal += actual == null ? 0 : actual;
            rows.add(new Row(phase.displayName() + " time", seconds(estimated), seconds(actual)));
        }
        // phases overlap: the estimate's own wall time, when the report has it, is less than their sum
        String estimated = p == null ? NONE : p.estimatedProcessingTimeSeconds() > 0
                ? seconds(p.estimatedProcessingTimeSeconds() * 1000) : p.estimatedPhaseTimings().isEmpty()
                ? p.estimatedProcessingTimeMinutes() + " min" : seconds(estimatedTotal);
        // phases overlap: the job's own wall time, when the report has it, is less than their sum
        rows.add(new Row("Total time", estimated, seconds(r.elapsedMillis() > 0 ? r.elapsedMillis() : actualTotal)));
        return rows;
    }

    private static Long millis(List<PhaseTiming> timings, Phase phase) {
        return timings.stream().filter(t -> t.phase() == phase).map(PhaseTiming::millis).findFirst().orElse(null);
    }

    private static String seconds(Long millis) {
        return millis == null ? NONE : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
