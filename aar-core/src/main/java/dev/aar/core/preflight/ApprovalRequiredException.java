package dev.aar.core.preflight;

import dev.aar.core.error.AarException;

/** A project may not be queued yet: it was not preflighted, or preflight said it needs approval and nobody approved it. */
public final class ApprovalRequiredException extends AarException {

    private final String projectId;
    private final String code;

    ApprovalRequiredException(String projectId, boolean preflighted) {
        super(preflighted
                ? "project '" + projectId + "' needs approval before it can be queued (it is over the auto-approval"
                        + " thresholds); approve it first: AnalysisService.approve(owner, project, Approval.of(who, why)),"
                        + " or submit it with an Approval"
                : "project '" + projectId + "' has not been preflighted, so it cannot be queued yet");
        this.projectId = projectId;
        this.code = preflighted ? "project.approval_required" : "project.not_preflighted";
    }

    public String projectId() {
        return projectId;
    }

    @Override
    public String code() {
        return code;
    }
}
