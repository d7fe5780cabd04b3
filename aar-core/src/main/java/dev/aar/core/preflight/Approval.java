package dev.aar.core.preflight;

/**
 * A decision to analyse a project over the auto-approval thresholds: who decided and why.
 *
 * <p>Recorded on the project as {@code approvedBy} in the form {@code "<by>: <reason>"} (see
 * {@link #recorded()}), with the time, so every backend's project store keeps both without a schema change.
 *
 * @param by who approves: a person, or the host application itself (e.g. {@code "nightly-review-job"})
 * @param reason why, for the audit trail (e.g. {@code "budget for the release review"})
 */
public record Approval(String by, String reason) {

    /** Longest {@link #recorded()} form kept; longer reasons are cut. */
    public static final int MAX_RECORDED_LENGTH = 500;

    public Approval {
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("an approval names who approves; by was '" + by + "'");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an approval says why; reason was '" + reason + "'");
        }
        by = by.strip();
        reason = reason.strip();
    }

    /** Returns an approval by {@code by} for {@code reason}. */
    public static Approval of(String by, String reason) {
        return new Approval(by, reason);
    }

    /** Returns the text recorded as the project's {@code approvedBy}. */
    public String recorded() {
        String text = by + ": " + reason;
        return text.length() <= MAX_RECORDED_LENGTH ? text : text.substring(0, MAX_RECORDED_LENGTH);
    }
}
