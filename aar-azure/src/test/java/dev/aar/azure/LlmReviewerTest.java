package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.azure.FakeChatServer.Status;
import dev.aar.core.analysis.AnalysisRunner;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResiliencePipeline;
import dev.aar.core.tokens.Tokenizers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmReviewerTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private static final String CONTROLLER = """
            package shop.web;
            import shop.db.OrderRepository;
            public class OrderController {
                private final OrderRepository repository = new OrderRepository();
                public String order(String id) {
                    try {
                        return repository.query("select * from orders where id = '" + id + "'");
                    } catch (Exception e) {
                        return null;
                    }
                }
            }""";
    private static final String REPOSITORY = """
            package shop.db;
            public class OrderRepository {
                private static java.sql.Connection connection;
                public synchronized String query(String sql) throws Exception {
                    return connection.createStatement().executeQuery(sql).getString(1);
                }
            }""";

    private FakeChatServer server;
    private final List<LlmReviewer> reviewers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeChatServer();
    }

    @AfterEach
    void stop() {
        reviewers.forEach(LlmReviewer::close);
        server.close();
    }

    private FakeProjectView project() {
        return new FakeProjectView(true)
                .file("src/shop/web/OrderController.java", CONTROLLER, 6)
                .file("src/shop/db/OrderRepository.java", REPOSITORY, 6)
                .file("README.md", "# Shop\n", 5);
    }

    private LlmReviewerConfig.Builder openAi() {
        return LlmReviewerConfig.openAi(KEY).baseUrl(server.url("/v1")).timeout(Duration.ofSeconds(10));
    }

    private LlmReviewer reviewer(LlmReviewerConfig config) {
        // the spec's OpenAiPipeline, with short backoffs so that retried 500s keep the test fast
        ResiliencePipeline pipeline = ResiliencePipeline.of(OpenAiPipeline.NAME, OpenAiPipeline.config().toBuilder()
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build(), null);
        LlmReviewer reviewer = LlmReviewer.create(config, pipeline);
        reviewers.add(reviewer);
        return reviewer;
    }

    private static List<Finding> run(LlmReviewer reviewer, FakeProjectView view) {
        List<Finding> findings = new ArrayList<>();
        reviewer.analyze(view, findings::add);
        return findings;
    }

    private static final String ANSWER = """
            {"summary": "A two-layer web shop: controllers call repositories directly.",
             "findings": [
               {"severity": "High", "rule": "layering-controller-uses-repository",
                "description": "The controller builds SQL and calls the repository directly.",
                "file": "src/shop/web/OrderController.java", "line": 7},
               {"severity": "Severe", "rule": "LLM-Security SQL Injection",
                "description": "Order ids are concatenated into SQL.",
                "file": "./src/shop/db/OrderRepository.java", "line": "5"},
               {"severity": "medium", "rule": "concurrency-static-connection",
                "description": "A static connection is shared by all threads.",
                "file": "src/shop/db/Invented.java", "line": 3},
               {"severity": "Low", "rule": "no-description"},
               "not an object",
               {"severity": "Critical", "description": "No rule given.", "file": null, "line": -4}
             ]}""";

    @Test
    void parsesSummaryAndFindingsAndValidatesFilesAgainstTheProject() {
        server.thenAnswer(ANSWER);

        List<Finding> findings = run(reviewer(openAi().build()), project());

        assertThat(findings).extracting(Finding::rule).allMatch(r -> r.startsWith("llm-"));
        assertThat(findings.get(0).rule()).isEqualTo(LlmReviewer.SUMMARY_RULE);
        assertThat(findings.get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(findings.get(0).description()).isEqualTo("A two-layer web shop: controllers call repositories directly.");
        assertThat(findings.get(0).evidence()).contains("gpt-4o-mini", "prompt 1234 tokens", "answer 321 tokens");
        assertThat(findings.subList(1, findings.size())).containsExactly(
                new Finding(Severity.HIGH, "llm-layering-controller-uses-repository",
                        "The controller builds SQL and calls the repository directly.", "src/shop/web/OrderController.java", 7, null),
                new Finding(Severity.INFO, "llm-security-sql-injection", "Order ids are concatenated into SQL.",
                        "src/shop/db/OrderRepository.java", 5, null),
                new Finding(Severity.MEDIUM, "llm-concurrency-static-connection",
                        "A static connection is shared by all threads.", null, null, null),
                new Finding(Severity.CRITICAL, "llm-review", "No rule given.", null, null, null));
    }

    @Test
    void sendsOneChatRequestWithRetrievedExcerptsAndJsonFormat() {
        server.thenAnswer(ANSWER);

        run(reviewer(openAi().model("gpt-4.1-mini").maxAnswerTokens(1500).build()), project());

        assertThat(server.requests()).hasSize(1);
        FakeChatServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY).doesNotContainKey("api-key");
        assertThat(request.body().get("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(request.body().get("max_completion_tokens").asInt()).isEqualTo(1500);
        assertThat(request.body().get("response_format").get("type").asText()).isEqualTo("json_object");
        assertThat(request.body().get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(request.system()).contains("JSON", "summary", "findings", "severity");
        assertThat(request.user())
                .contains("[layering]", "[coupling]", "[error-handling]", "[security]", "[data-access]", "[concurrency]")
                .contains("src/shop/web/OrderController.java", "src/shop/db/OrderRepository.java", "README.md")
                .contains("select * from orders where id = '", "private static java.sql.Connection connection;")
                .contains("src/shop/db/OrderRepository.java lines 1-6");
    }

    @Test
    void promptStaysWithinTheTokenBudgetAndKeepsTheBestExcerpts() {
        FakeProjectView big = new FakeProjectView(true);
        for (int i = 0; i < 40; i++) {
            StringBuilder text = new StringBuilder();
            for (int line = 0; line < 30; line++) {
                text.append("    void handle").append(i).append('_').append(line)
                        .append("() { try { lock(); query(sql); } catch (Exception e) { log(e); } } // thread ")
                        .append(i).append('\n');
            }
            big.file("src/big/Service" + i + ".java", text.toString(), 30);
        }
        server.thenAnswer(ANSWER);
        int budget = 2_000;

        List<Finding> findings = run(reviewer(openAi().maxPromptTokens(budget).build()), big);

        FakeChatServer.Request request = server.requests().get(0);
        Encoding o200k = Tokenizers.encoding("o200k_base");
        int sent = o200k.countTokens(request.system()) + o200k.countTokens(request.user());
        assertThat(sent).isLessThanOrEqualTo(budget);
        assertThat(sent).isGreaterThan(budget / 2); // the budget is used, not left idle
        // the top-ranked chunk of the first question is in; not all 40 files fit
        assertThat(request.user()).contains("--- excerpt 1: src/big/Service0.java lines 1-30");
        assertThat(request.user()).doesNotContain("handle39_0");
        assertThat(findings.get(0).evidence()).contains("(budget 2000)");
    }

    @Test
    void malformedAnswerBecomesOneInfoFinding() {
        server.thenAnswer("Here is my review: the code looks {fine");

        List<Finding> findings = run(reviewer(openAi().build()), project());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.rule()).isEqualTo(LlmReviewer.UNPARSABLE_RULE);
            assertThat(f.description()).contains("could not be parsed", "not the expected JSON object");
            assertThat(f.evidence()).startsWith("Here is my review");
        });
    }

    @Test
    void answerCutOffAtTheTokenLimitSaysSo() {
        server.then(new FakeChatServer.Completion("{\"summary\": \"A web shop with", "length"));

        List<Finding> findings = run(reviewer(openAi().build()), project());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(LlmReviewer.UNPARSABLE_RULE);
            assertThat(f.description()).contains("cut off", "MaxAnswerTokens");
        });
    }

    @Test
    void jsonInAMarkdownFenceIsAccepted() {
        server.thenAnswer("```json\n{\"summary\": \"Small.\", \"findings\": []}\n```");

        List<Finding> findings = run(reviewer(openAi().jsonResponseFormat(false).build()), project());

        assertThat(findings).extracting(Finding::rule, Finding::description)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("llm-summary", "Small."));
        assertThat(server.requests().get(0).body().has("response_format")).isFalse();
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOutThenSucceeds() {
        server.then(new Status(429, Map.of("Retry-After", "1"), "{\"error\":{\"message\":\"Rate limit reached\"}}"));
        server.thenAnswer(ANSWER);
        // the reviewer's own pipeline: exactly OpenAiPipeline.config()
        LlmReviewer reviewer = LlmReviewer.create(openAi().build());
        reviewers.add(reviewer);

        List<Finding> findings = run(reviewer, project());

        assertThat(server.requests()).hasSize(2);
        assertThat(findings.get(0).rule()).isEqualTo(LlmReviewer.SUMMARY_RULE);
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        server.then(new Status(500, Map.of(), "{\"error\":{\"message\":\"boom\"}}"),
                new Status(503, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}"));
        server.thenAnswer(ANSWER);

        List<Finding> findings = run(reviewer(openAi().build()), project());

        assertThat(server.requests()).hasSize(3);
        assertThat(findings).extracting(Finding::rule).contains("llm-summary", "llm-layering-controller-uses-repository");
    }

    @Test
    void serverErrorsBeyondTheRetriesFailAsUnavailable() {
        for (int i = 0; i < 4; i++) {
            server.then(new Status(502, Map.of(), "{\"error\":{\"message\":\"bad gateway\"}}"));
        }

        assertThatThrownBy(() -> run(reviewer(openAi().build()), project()))
                .isInstanceOfSatisfying(LlmReviewException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LlmReviewException.Reason.UNAVAILABLE);
                    assertThat(e.code()).isEqualTo("llm_review.unavailable");
                    assertThat(e.statusCode()).isEqualTo(502);
                });
        assertThat(server.requests()).hasSize(4); // 1 + OpenAiPipeline.DEFAULT_MAX_RETRIES
    }

    @Test
    void rejectedKeyFailsAtOnceAndTheRunnerReportsItClearly() {
        server.then(new Status(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-***cdef.\","
                + "\"code\":\"invalid_api_key\"}}"));
        LlmReviewer reviewer = reviewer(openAi().build());

        List<Finding> findings = new ArrayList<>();
        new AnalysisRunner(Analyzers.builder().add(reviewer).build()).run(project(), Set.of(), findings::add, run -> { });

        assertThat(server.requests()).hasSize(1); // a wrong key stays wrong: not retried
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(AnalysisRunner.FAILURE_RULE);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.description()).contains("'llm-review'", "LlmReviewException", "rejected the API key (HTTP 401)",
                    "Connections.OpenAiApiKey", "invalid_api_key");
            assertThat(f.description()).doesNotContain(KEY, "cdef");
        });
    }

    @Test
    void rejectedKeyIsANonTransientClientError() {
        server.then(new Status(401, Map.of(), "{\"error\":{\"message\":\"bad key\"}}"));

        assertThatThrownBy(() -> run(reviewer(openAi().build()), project()))
                .isInstanceOfSatisfying(LlmReviewException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LlmReviewException.Reason.REJECTED);
                    assertThat(e.code()).isEqualTo("llm_review.rejected");
                    assertThat(e.isClientError()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(401);
                });
    }

    @Test
    void azureUsesTheDeploymentUrlApiVersionAndApiKeyHeader() {
        server.thenAnswer(ANSWER);
        LlmReviewerConfig azure = LlmReviewerConfig.azure(server.url(""), KEY, "review-gpt4o").model("gpt-4o").build();

        List<Finding> findings = run(reviewer(azure), project());

        FakeChatServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/openai/deployments/review-gpt4o/chat/completions");
        assertThat(request.query()).isEqualTo("api-version=" + LlmReviewerConfig.DEFAULT_AZURE_API_VERSION);
        assertThat(request.headers()).containsEntry("api-key", KEY).doesNotContainKey("authorization");
        assertThat(findings.get(0).rule()).isEqualTo(LlmReviewer.SUMMARY_RULE);
    }

    @Test
    void projectWithoutEmbeddingsIsSkippedWithoutSendingAnything() {
        FakeProjectView unindexed = new FakeProjectView(false).file("src/A.java", "class A {}", 10);

        List<Finding> findings = run(reviewer(openAi().build()), unindexed);

        assertThat(server.requests()).isEmpty();
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(LlmReviewer.SKIPPED_RULE);
            assertThat(f.description()).contains("no embeddings");
        });
    }
}
