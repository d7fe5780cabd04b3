package dev.aar.core.preflight;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Records preflight verdicts and approvals on projects, and guards the queue: a project that
 * requires approval cannot be queued until someone approved it (who and when are recorded).
 */
public final class ApprovalService {

    private final ProjectStore projects;
    private final Clock clock;

    public ApprovalService(ProjectStore projects) {
        this(projects, Clock.systemUTC());
    }

    public ApprovalService(ProjectStore projects, Clock clock) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores preflight's {@code requiresApproval} on the project and returns the updated project. */
    public Project recordPreflight(String projectId, PreflightResult result) {
        Project updated = find(projectId).withRequiresApproval(result.requiresApproval());
        update(updated);
        return updated;
    }

    /**
     * Approves the project, recording {@code approvedBy} and the current time. Approving again keeps
     * the first approval, so the record says who approved it first.
     */
    public Project approve(String projectId, String approvedBy) {
        if (approvedBy == null || approvedBy.isBlank()) {
            throw new IllegalArgumentException("approvedBy must name who approves, was '" + approvedBy + "'");
        }
        Project p = find(projectId);
        if (p.approvedAt() != null) {
            return p;
        }
        Project updated = p.withApproval(approvedBy, clock.instant());
        update(updated);
        return updated;
    }

    /** Approves the project with who and why recorded ({@link Approval#recorded()}); approving again keeps the first. */
    public Project approve(String projectId, Approval approval) {
        return approve(projectId, approval.recorded());
    }

    /** Returns the project if it may be queued; otherwise throws {@link ApprovalRequiredException}. */
    public Project requireQueueable(String projectId) {
        Project p = find(projectId);
        if (!p.isQueueable()) {
            throw new ApprovalRequiredException(projectId, p.requiresApproval() != null);
        }
        return p;
    }

    private Project find(String projectId) {
        return projects.find(projectId).orElseThrow(() -> new NotFoundException("project", projectId));
    }

    private void update(Project p) {
        if (!projects.update(p)) {
            throw new NotFoundException("project", p.id());
        }
    }
}
