package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.memory.InMemoryProjectStore;
import dev.aar.core.project.Project;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalServiceTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private final InMemoryProjectStore store = new InMemoryProjectStore();
    private final ApprovalService approvals = new ApprovalService(store, Clock.fixed(NOW, ZoneOffset.UTC));

    private static PreflightResult verdict(boolean requiresApproval) {
        return new PreflightResult(1, 1, 1, 0, 1, requiresApproval, true, List.of());
    }

    private void project(String id) {
        store.create(new Project(id, "org", id + ".zip", "k/" + id, 10, null, null, null, NOW.minusSeconds(60)));
    }

    @Test
    void aProjectNeedingApprovalCannotBeQueuedUntilApproved() {
        project("p");
        approvals.recordPreflight("p", verdict(true));
        assertThatThrownBy(() -> approvals.requireQueueable("p")).isInstanceOf(ApprovalRequiredException.class)
                .hasMessageContaining("needs approval")
                .satisfies(e -> assertThat(((ApprovalRequiredException) e).code()).isEqualTo("project.approval_required"));
        Project approved = approvals.approve("p", "alice@example.com");
        assertThat(approved.approvedBy()).isEqualTo("alice@example.com");
        assertThat(approved.approvedAt()).isEqualTo(NOW);
        assertThat(store.find("p").orElseThrow().approvedBy()).isEqualTo("alice@example.com");
        assertThat(approvals.requireQueueable("p").id()).isEqualTo("p");
        assertThat(approvals.approve("p", "bob").approvedBy()).as("first approval is kept").isEqualTo("alice@example.com");
    }

    @Test
    void aSmallProjectIsQueueableWithoutApproval() {
        project("s");
        approvals.recordPreflight("s", verdict(false));
        assertThat(approvals.requireQueueable("s").isQueueable()).isTrue();
    }

    @Test
    void aProjectNeverPreflightedCannotBeQueued() {
        project("n");
        assertThatThrownBy(() -> approvals.requireQueueable("n")).isInstanceOf(ApprovalRequiredException.class)
                .satisfies(e -> assertThat(((ApprovalRequiredException) e).code()).isEqualTo("project.not_preflighted"));
    }

    @Test
    void unknownProjectsAndAnonymousApprovalsAreRefused() {
        assertThatThrownBy(() -> approvals.approve("missing", "alice")).isInstanceOf(NotFoundException.class);
        project("q");
        assertThatThrownBy(() -> approvals.approve("q", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
