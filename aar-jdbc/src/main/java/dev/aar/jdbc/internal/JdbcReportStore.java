package dev.aar.jdbc.internal;

import dev.aar.core.event.Finding;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportStore;
import dev.aar.core.report.internal.ReportJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A {@link ReportStore} in the {@code reports} and {@code findings} tables.
 *
 * <p>The whole report is kept as its JSON ({@link ReportJson}) in {@code reports.report_json} and
 * read back from there; each finding is also a {@code findings} row (without its evidence), so hosts
 * can query findings across reports in SQL. The report model has no owner: {@code owner_id} is the
 * owner of the report's project in {@code projects}, or empty when that project is not stored here.
 */
public final class JdbcReportStore implements ReportStore {

    private final Jdbi jdbi;

    public JdbcReportStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(Report report) {
        Objects.requireNonNull(report, "report");
        String json = new String(ReportJson.write(report), StandardCharsets.UTF_8);
        Sql.inTransaction(jdbi, "save report " + report.reportId(), h -> {
            // replacing drops the old findings rows with the old report; explicit, so it holds even where
            // foreign keys (ON DELETE CASCADE) are not enforced (a host's SQLite DataSource)
            h.createUpdate("DELETE FROM findings WHERE report_id = :id").bind("id", report.reportId()).execute();
            h.createUpdate("DELETE FROM reports WHERE id = :id").bind("id", report.reportId()).execute();
            h.createUpdate("""
                    INSERT INTO reports (id, project_id, job_id, owner_id, is_success, report_json, created_at)
                    VALUES (:id, :project, :job,
                        COALESCE((SELECT owner_id FROM projects WHERE id = :project), ''), :success, :json, :createdAt)""")
                    .bind("id", report.reportId()).bind("project", report.projectId()).bind("job", report.jobId())
                    .bind("success", true).bind("json", json).bind("createdAt", Sql.millis(report.createdAt()))
                    .execute();
            List<Finding> findings = report.findings();
            if (!findings.isEmpty()) {
                PreparedBatch batch = h.prepareBatch("""
                        INSERT INTO findings (report_id, project_id, severity, rule, description, file, line)
                        VALUES (:report, :project, :severity, :rule, :description, :file, :line)""");
                for (Finding f : findings) {
                    batch.bind("report", report.reportId()).bind("project", report.projectId())
                            .bind("severity", f.severity().displayName()).bind("rule", f.rule())
                            .bind("description", f.description()).bind("file", f.file()).bind("line", f.line())
                            .add();
                }
                batch.execute();
            }
            return null;
        });
    }

    @Override
    public Optional<Report> find(String reportId) {
        return Sql.call(jdbi, "find report", h -> h.createQuery("SELECT report_json FROM reports WHERE id = :id")
                .bind("id", reportId).mapTo(String.class).findOne().map(JdbcReportStore::read));
    }

    @Override
    public List<Report> listByProject(String projectId) {
        return Sql.call(jdbi, "list reports", h -> h.createQuery("""
                SELECT report_json FROM reports WHERE project_id = :project ORDER BY created_at DESC, id""")
                .bind("project", projectId).mapTo(String.class).map(JdbcReportStore::read).list());
    }

    @Override
    public int deleteProject(String projectId) {
        return Sql.inTransaction(jdbi, "delete reports", h -> {
            // explicit, so it holds even where foreign keys are not enforced (a host's SQLite DataSource)
            h.createUpdate("""
                    DELETE FROM findings WHERE report_id IN (SELECT id FROM reports WHERE project_id = :project)""")
                    .bind("project", projectId).execute();
            return h.createUpdate("DELETE FROM reports WHERE project_id = :project").bind("project", projectId)
                    .execute();
        });
    }

    private static Report read(String json) {
        return ReportJson.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
