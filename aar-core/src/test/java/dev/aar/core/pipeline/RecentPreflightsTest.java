package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.Aar;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queueing right after a preflight reuses its result instead of reading the archive again. */
class RecentPreflightsTest {

    @TempDir
    Path data;

    private static PreflightResult result(long files) {
        return new PreflightResult(files, files * 10, files * 3, 0.0, 1, false, true, List.of());
    }

    @Test
    void keepsTheNewestResultsUpToItsCapacityAndHandsEachOutOnce() {
        RecentPreflights recent = new RecentPreflights(2);
        recent.put("a", result(1));
        recent.put("b", result(2));
        recent.put("a", result(3)); // a stored again: now the newest
        recent.put("c", result(4)); // over capacity: b, the oldest, goes

        assertThat(recent.take("b")).isNull();
        assertThat(recent.take("a").fileCount()).isEqualTo(3);
        assertThat(recent.take("a")).isNull();
        assertThat(recent.take("c").fileCount()).isEqualTo(4);
    }

    @Test
    void submitAfterPreflightDoesNotReadTheArchiveAgainButSubmitWithoutOneDoes() throws Exception {
        try (Aar aar = Aar.builder().config(AarConfig.defaults()).dataDirectory(data).build()) {
            Map<String, String> files = Map.of("src/A.java", "class A { int x; }", "README.md", "# a");
            Project preflighted = aar.analysis().createProject("org", "a.zip", AnalysisServiceTest.zip(files));
            Project cold = aar.analysis().createProject("org", "b.zip", AnalysisServiceTest.zip(files));
            aar.analysis().preflight("org", preflighted.id(), TokenMode.FAST);

            // without its archive, only a preflight already in hand lets the project be queued
            aar.blobStore().delete(preflighted.archiveKey());
            aar.blobStore().delete(cold.archiveKey());
            Job job = aar.analysis().submit("org", preflighted.id(), JobPriority.NORMAL);
            assertThat(job.payload()).contains(preflighted.id());
            assertThatThrownBy(() -> aar.analysis().submit("org", cold.id(), JobPriority.NORMAL))
                    .isInstanceOf(NotFoundException.class);
            // the result was used once: a second submit runs preflight again
            assertThatThrownBy(() -> aar.analysis().submit("org", preflighted.id(), JobPriority.NORMAL))
                    .isInstanceOf(NotFoundException.class);
        }
    }
}
