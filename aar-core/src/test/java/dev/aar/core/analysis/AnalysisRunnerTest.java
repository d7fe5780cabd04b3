package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisRunnerTest {

    @TempDir
    Path dir;

    private record Emitting(String id, int count) implements Analyzer {
        @Override
        public String description() {
            return "emits " + count;
        }

        @Override
        public void analyze(ProjectView project, FindingSink sink) {
            for (int i = 0; i < count; i++) {
                sink.emit(new Finding(Severity.LOW, id, "finding " + i, null, null, null));
            }
        }
    }

    private static final class Crashing implements Analyzer {
        @Override
        public String id() {
            return "crashing";
        }

        @Override
        public String description() {
            return "emits one finding, then fails";
        }

        @Override
        public void analyze(ProjectView project, FindingSink sink) {
            sink.emit(new Finding(Severity.HIGH, "crashing", "before the crash", null, null, null));
            throw new IllegalStateException("parser blew up");
        }
    }

    private ProjectView view() {
        return new Fixture(dir).file("a.txt", "x").view();
    }

    @Test
    void runsInOrderStreamingFindingsAndTellingTheListenerAfterEach() {
        Analyzers analyzers = Analyzers.builder().add(new Emitting("one", 2)).add(new Emitting("two", 1)).build();
        List<String> events = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(analyzers).run(view(), Set.of(),
                f -> events.add("finding " + f.rule()), run -> events.add("finished " + run.analyzerId()));

        assertThat(events).containsExactly("finding one", "finding one", "finished one", "finding two", "finished two");
        assertThat(runs).extracting(AnalyzerRun::analyzerId, AnalyzerRun::findings, AnalyzerRun::index, AnalyzerRun::total)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("one", 2, 0, 2),
                        org.assertj.core.groups.Tuple.tuple("two", 1, 1, 2));
    }

    @Test
    void skipsAnalyzersAResumedJobAlreadyFinished() {
        Analyzers analyzers = Analyzers.builder().add(new Emitting("one", 1)).add(new Emitting("two", 1)).build();
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(analyzers).run(view(), Set.of("one"), findings::add, AnalysisListener.NONE);
        assertThat(runs).extracting(AnalyzerRun::analyzerId).containsExactly("two");
        assertThat(findings).extracting(Finding::rule).containsExactly("two");
    }

    @Test
    void turnsACrashIntoAFindingAndGoesOn() {
        Analyzers analyzers = Analyzers.builder().add(new Crashing()).add(new Emitting("after", 1)).build();
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(analyzers).run(view(), Set.of(), findings::add, AnalysisListener.NONE);

        assertThat(findings).extracting(Finding::rule)
                .containsExactly("crashing", AnalysisRunner.FAILURE_RULE, "after");
        assertThat(findings.get(1).description()).contains("crashing").contains("IllegalStateException: parser blew up");
        assertThat(runs.get(0).succeeded()).isFalse();
        assertThat(runs.get(0).findings()).isEqualTo(1);
        assertThat(runs.get(1).succeeded()).isTrue();
    }

    @Test
    void stopsBetweenAnalyzersWhenInterrupted() {
        Analyzers analyzers = Analyzers.builder().add(new Emitting("one", 1)).add(new Emitting("two", 1)).build();
        List<AnalyzerRun> runs = new AnalysisRunner(analyzers).run(view(), Set.of(), f -> { },
                run -> Thread.currentThread().interrupt());
        assertThat(Thread.interrupted()).isTrue();
        assertThat(runs).extracting(AnalyzerRun::analyzerId).containsExactly("one");
    }

    @Test
    void registersBuiltInsInOrderAndHonoursDisabledOnes() {
        assertThat(Analyzers.builtIn(AnalysisConfig.defaults()).ids()).containsExactly(InventoryAnalyzer.ID,
                DependencyCycleAnalyzer.ID, LayeringAnalyzer.ID, SecretsAnalyzer.ID, HotspotAnalyzer.ID);
        Analyzers some = Analyzers.builder()
                .addBuiltIns(AnalysisConfig.builder().disabledAnalyzers(Set.of("hotspots", "secrets")).build())
                .add(new Emitting("custom", 0)).build();
        assertThat(some.ids()).containsExactly("inventory", "dependency-cycles", "layering", "custom");
        assertThat(some.find("custom")).isPresent();
    }

    @Test
    void refusesTwoAnalyzersWithOneId() {
        assertThatThrownBy(() -> Analyzers.builder().add(new Emitting("x", 0)).add(new Emitting("x", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share the id 'x'");
    }
}
