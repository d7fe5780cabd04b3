package dev.aar.examples.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aar.core.pipeline.AnalysisService;
import dev.aar.core.project.Project;
import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaLimits;
import dev.aar.core.redact.Redactor;
import dev.aar.core.report.Report;
import dev.aar.core.report.Summary;
import dev.aar.core.upload.UploadProgress;
import dev.aar.queue.Job;
import dev.aar.queue.JobState;
import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of API responses. Instants are ISO-8601 strings and enums are PascalCase
 * ({@code High}, {@code DeadLettered}), as in the spec, whatever the mapper's settings.
 */
final class Views {

    private Views() {
    }

    /** A list response; an envelope so fields can be added without breaking clients. */
    record Items<T>(List<T> items) {
    }

    /** A project as clients see it (no owner or storage key). */
    record ProjectView(String id, String name, long archiveBytes, Boolean requiresApproval, String approvedBy,
            String approvedAt, String createdAt) {
        static ProjectView of(Project p) {
            return new ProjectView(p.id(), p.name(), p.archiveBytes(), p.requiresApproval(), p.approvedBy(),
                    time(p.approvedAt()), time(p.createdAt()));
        }
    }

    /** The answer to creating an upload session. */
    record SessionCreated(String sessionId, long partSize, int totalParts, String expiresAt, String status) {
        static SessionCreated of(UploadSession s) {
            return new SessionCreated(s.id(), s.partSize(), s.totalParts(), time(s.expiresAt()), pascal(s.status()));
        }
    }

    /** One received part. */
    record PartView(int partNumber, long size, String sha256) {
        static PartView of(UploadPart p) {
            return new PartView(p.partNumber(), p.size(), p.sha256());
        }
    }

    /** An upload session's status. */
    record SessionView(String sessionId, String fileName, long totalSize, long partSize, int totalParts,
            List<PartView> receivedParts, long bytesReceived, List<Integer> missingParts, String expiresAt, String status) {
        static SessionView of(UploadProgress p) {
            UploadSession s = p.session();
            return new SessionView(s.id(), s.fileName(), s.totalSize(), s.partSize(), s.totalParts(),
                    p.parts().stream().map(PartView::of).toList(), p.bytesReceived(), p.missingParts(),
                    time(p.expiresAt()), pascal(p.status()));
        }
    }

    /** The answer to queueing an analysis. */
    record AnalysisAccepted(String jobId, String projectId, String priority, String state) {
        static AnalysisAccepted of(Job job, String projectId) {
            return new AnalysisAccepted(job.id(), projectId, pascal(job.priority()), pascal(job.state()));
        }
    }

    /** One recorded failure of a job. */
    record JobErrorView(int attempt, String at, String message) {
    }

    /** A job's status; {@code reportId} is set once it succeeded. */
    record JobView(String jobId, String projectId, String type, String priority, String state, int attempts,
            List<JobErrorView> errors, String createdAt, String reportId) {
        static JobView of(Job job, String projectId) {
            return new JobView(job.id(), projectId, job.type(), pascal(job.priority()), pascal(job.state()),
                    job.attempts(), job.errors().stream()
                            // errors stored by an older version may still hold paths or secrets
                            .map(e -> new JobErrorView(e.attempt(), time(e.at()), Redactor.forClient(e.message())))
                            .toList(), time(job.createdAt()),
                    job.state() == JobState.SUCCEEDED ? AnalysisService.reportIdOf(job.id()) : null);
        }
    }

    /** A report in a list: its ids, counts and where to fetch each rendering. */
    record ReportSummary(String reportId, String projectId, String jobId, String createdAt, Summary summary,
            ReportLinks links) {
        static ReportSummary of(Report r) {
            String base = "/api/v1/reports/" + r.reportId() + "?format=";
            return new ReportSummary(r.reportId(), r.projectId(), r.jobId(), time(r.createdAt()), r.summary(),
                    new ReportLinks(base + "json", base + "html", base + "md"));
        }
    }

    /** Where to fetch each rendering of a report. */
    record ReportLinks(String json, String html, String md) {
    }

    /** An organization's limits and usage this period; only {@code unlimited: true} when it has no quota. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuotaView(String organizationId, boolean unlimited, Long monthlyTokenLimit, Long monthlyTokensUsed,
            Integer monthlyProjectLimit, Integer monthlyProjectsUsed, Long storageLimitBytes, Long storageUsedBytes,
            String periodStart, String updatedAt) {
        static QuotaView of(OrganizationQuota q) {
            // a limit set to 'unlimited' is left out rather than shown as 2^63-1, which JavaScript cannot hold
            return new QuotaView(q.organizationId(), false,
                    q.monthlyTokenLimit() == QuotaLimits.UNLIMITED_TOKENS ? null : q.monthlyTokenLimit(), q.monthlyTokensUsed(),
                    q.monthlyProjectLimit() == QuotaLimits.UNLIMITED_PROJECTS ? null : q.monthlyProjectLimit(),
                    q.monthlyProjectsUsed(),
                    q.storageLimitBytes() == QuotaLimits.UNLIMITED_STORAGE ? null : q.storageLimitBytes(),
                    q.storageUsedBytes(), time(q.periodStart()), time(q.updatedAt()));
        }

        static QuotaView unlimited(String organizationId) {
            return new QuotaView(organizationId, true, null, null, null, null, null, null, null, null);
        }
    }

    /** Formats an enum constant as PascalCase: {@code DEAD_LETTERED} → {@code DeadLettered}. */
    static String pascal(Enum<?> e) {
        StringBuilder out = new StringBuilder();
        for (String word : e.name().split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
