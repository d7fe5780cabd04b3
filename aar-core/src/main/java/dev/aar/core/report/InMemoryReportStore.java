package dev.aar.core.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ReportStore} in memory, for tests and single-process use without persistence. */
public final class InMemoryReportStore implements ReportStore {

    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    @Override
    public void save(Report report) {
        Objects.requireNonNull(report, "report");
        reports.put(report.reportId(), report);
    }

    @Override
    public Optional<Report> find(String reportId) {
        return Optional.ofNullable(reports.get(reportId));
    }

    @Override
    public List<Report> listByProject(String projectId) {
        return reports.values().stream().filter(r -> r.projectId().equals(projectId))
                .sorted(Comparator.comparing(Report::createdAt).reversed().thenComparing(Report::reportId)).toList();
    }

    @Override
    public int deleteProject(String projectId) {
        int[] n = {0};
        reports.values().removeIf(r -> {
            boolean match = r.projectId().equals(projectId);
            n[0] += match ? 1 : 0;
            return match;
        });
        return n[0];
    }
}
