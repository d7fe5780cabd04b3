package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.event.Finding;
import dev.aar.core.index.Indexer;
import dev.aar.core.index.SourceFile;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResiliencePipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reviewer over a real extracted project indexed with the offline embedder, as a job would run it. */
class LlmReviewerIndexedProjectTest {

    @Test
    void retrievesExcerptsOfTheIndexedProjectAndKeepsOnlyItsFiles(@TempDir Path dir) throws Exception {
        Map<String, String> sources = Map.of(
                "src/app/UserController.java", """
                        class UserController {
                            String login(String user, String password) {
                                return database.query("select * from users where name='" + user + "'");
                            }
                        }
                        """,
                "src/app/Worker.java", """
                        class Worker {
                            static java.util.List<String> shared = new java.util.ArrayList<>();
                            void run() { new Thread(() -> shared.add("x")).start(); }
                        }
                        """);
        List<SourceFile> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
            files.add(new SourceFile(e.getKey(), e.getValue()));
        }
        OfflineEmbeddingProvider embedder = OfflineEmbeddingProvider.create();
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        Indexer.builder(embedder, store).build().index("p1", files);
        DirectoryProjectView view = DirectoryProjectView.builder("p1", dir).embeddings(store, embedder).build();

        try (FakeChatServer server = new FakeChatServer();
                LlmReviewer reviewer = LlmReviewer.create(LlmReviewerConfig.openAi("sk-x").baseUrl(server.url("/v1"))
                        .timeout(Duration.ofSeconds(10)).build(),
                        ResiliencePipeline.of(OpenAiPipeline.NAME, OpenAiPipeline.config(), null))) {
            server.thenAnswer("""
                    {"summary": "Two classes.", "findings": [
                      {"severity": "Critical", "rule": "security-sql-injection", "description": "SQL built from input.",
                       "file": "src/app/UserController.java", "line": 3},
                      {"severity": "High", "rule": "concurrency-shared-list", "description": "Unsynchronized static list.",
                       "file": "src/app/Other.java", "line": 2}]}""");
            List<Finding> findings = new ArrayList<>();
            reviewer.analyze(view, findings::add);

            String user = server.requests().get(0).user();
            assertThat(user).contains("select * from users where name='", "shared.add(\"x\")")
                    .contains("src/app/UserController.java lines 1-", "src/app/Worker.java lines 1-");
            assertThat(findings).extracting(Finding::rule, Finding::file).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("llm-summary", null),
                    org.assertj.core.groups.Tuple.tuple("llm-security-sql-injection", "src/app/UserController.java"),
                    org.assertj.core.groups.Tuple.tuple("llm-concurrency-shared-list", null));
        }
    }
}
