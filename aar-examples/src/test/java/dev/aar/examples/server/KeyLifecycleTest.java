package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.testing.RequiredService;
import dev.aar.jdbc.JdbcBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys created, revoked and rotated by another process (the CLI: here a second store on the same
 * file or database) count on the server's next request, with no restart; rights gate approval.
 */
class KeyLifecycleTest {

    /** The same promises whether the keys are in a file or a database table. */
    abstract static class Cases {
        @TempDir
        Path dir;

        ApiHarness api;
        /** What {@code aar keys} would open: a second store on the same keys. */
        ApiKeyStore operator;
        final java.util.List<AutoCloseable> closing = new java.util.ArrayList<>();

        abstract ApiKeyStore open();

        /** Each call is another node: its own pool on the same database, closed before the database is dropped. */
        ApiKeyStore database(Supplier<String> url) {
            JdbcBackend db = JdbcBackend.create(url.get());
            closing.add(0, db);
            return ApiKeyStore.inDatabase(db.apiKeyTable(), Clock.systemUTC());
        }

        ApiHarness start() {
            api = new ApiHarness(dir, AarConfig.defaults(), ServerLimits.defaults(), open());
            operator = open();
            return api;
        }

        @AfterEach
        void stop() throws Exception {
            if (api != null) {
                api.close();
            }
            for (AutoCloseable c : closing) {
                c.close();
            }
        }

        @Test
        void aKeyCreatedElsewhereWorksAtOnceAndARevokedOneIsRefusedAtOnce() {
            start();
            ApiKeyStore.Issued ci = operator.issue(ApiHarness.ORG_A, "ci-2");
            assertThat(api.get(ci.secret(), "/api/v1/quota").statusCode()).isEqualTo(200);

            assertThat(operator.revoke(ci.key().id())).isTrue();
            assertProblem(api.get(ci.secret(), "/api/v1/quota"), 401, "auth.revoked_key");
            assertProblem(api.get(ci.secret(), "/api/v1/projects"), 401, "auth.revoked_key");
            assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).as("other keys unaffected").isEqualTo(200);
            assertProblem(api.get("aar_" + "x".repeat(43), "/api/v1/quota"), 401, "auth.unknown_key");
        }

        @Test
        void rotationIssuesANewSecretAndRevokesTheOldOneAtOnceOrAfterTheGracePeriod() {
            start();
            ApiKeyStore.Issued first = operator.issue(ApiHarness.ORG_A, "deploy", Set.of(ApiKey.APPROVE));
            ApiKeyStore.Issued graced = operator.rotate(first.key().id(), Duration.ofHours(1)).orElseThrow();
            assertThat(graced.key().rights()).containsExactly(ApiKey.APPROVE);
            assertThat(graced.key().organizationId()).isEqualTo(ApiHarness.ORG_A);
            assertThat(api.get(first.secret(), "/api/v1/quota").statusCode()).as("within the grace period").isEqualTo(200);
            assertThat(api.get(graced.secret(), "/api/v1/quota").statusCode()).isEqualTo(200);

            ApiKeyStore.Issued next = operator.rotate(graced.key().id(), Duration.ZERO).orElseThrow();
            assertProblem(api.get(graced.secret(), "/api/v1/quota"), 401, "auth.revoked_key");
            assertThat(api.get(next.secret(), "/api/v1/quota").statusCode()).isEqualTo(200);
            assertThat(operator.rotate(UUID.randomUUID().toString(), Duration.ZERO)).isEmpty();
        }

        @Test
        void approvalNeedsTheApproveRight() {
            start();
            // rights are checked before the project is looked up: a key without them learns nothing
            assertProblem(api.postJson(api.keyA2, "/api/v1/preflight/" + UUID.randomUUID() + "/approve", ""), 403,
                    "auth.forbidden");
            assertProblem(api.postJson(api.keyA, "/api/v1/preflight/" + UUID.randomUUID() + "/approve", ""), 404,
                    "project.not_found");
        }

        @Test
        void listShowsLastUseButNeverASecret() {
            start();
            api.get(api.keyA, "/api/v1/quota");
            ApiKey alice = operator.list().stream().filter(k -> k.id().equals(api.apiKeyA.id())).findFirst().orElseThrow();
            assertThat(alice.lastUsedAt()).isNotNull();
            assertThat(alice.rights()).containsExactly(ApiKey.APPROVE);
            assertThat(operator.list().toString()).doesNotContain(api.keyA, api.keyA2, api.keyB);
        }

        @Test
        void onlyTheFirstKeyIsIssuedByIssueFirstAndItMayApprove() {
            ApiKeyStore keys = open();
            ApiKeyStore.Issued first = keys.issueFirst("default").orElseThrow();
            assertThat(first.key().rights()).containsExactly(ApiKey.APPROVE);
            assertThat(keys.issueFirst("default")).isEmpty();
        }
    }

    @Nested
    class InAFile extends Cases {
        @Override
        ApiKeyStore open() {
            return new ApiKeyStore(dir.resolve("keys.json"), ServerJson.create(), Clock.systemUTC());
        }

        @Test
        void theFileIsOwnerOnlyAndAnOpenOneIsWarnedAbout() throws Exception {
            start();
            Path file = dir.resolve("keys.json");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(ApiKeyStore.permissionWarning(file)).isEmpty();
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(ApiKeyStore.permissionWarning(file)).hasValueSatisfying(w -> assertThat(w)
                    .contains("readable by other users", "rw-r--r--", "chmod 600"));
        }

        @Test
        void concurrentWritersThroughTwoStoresLoseNoKey() throws Exception {
            ApiKeyStore a = open();
            ApiKeyStore b = open();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    ApiKeyStore store = i % 2 == 0 ? a : b;
                    String name = "k" + i;
                    futures.add(pool.submit(() -> store.issue("org", name)));
                }
                for (var f : futures) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.list()).hasSize(40);
            assertThat(b.list()).extracting(ApiKey::name).doesNotHaveDuplicates().hasSize(40);
        }

        @Test
        void aKeyFileFromBeforeRightsGivesItsOldestKeyTheApproveRight() throws Exception {
            Path file = dir.resolve("legacy.json");
            String hashA = Sha256.hex("aar_first");
            String hashB = Sha256.hex("aar_second");
            Files.writeString(file, "[{\"id\":\"k2\",\"organizationId\":\"default\",\"name\":\"later\",\"sha256\":\"" + hashB
                    + "\",\"createdAt\":\"2026-02-01T00:00:00Z\"},{\"id\":\"k1\",\"organizationId\":\"default\","
                    + "\"name\":\"first key (aar serve)\",\"sha256\":\"" + hashA + "\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]");
            ApiKeyStore keys = new ApiKeyStore(file, ServerJson.create(), Clock.systemUTC());
            assertThat(keys.find("aar_first").orElseThrow().rights()).containsExactly(ApiKey.APPROVE);
            assertThat(keys.find("aar_second").orElseThrow().rights()).isEmpty();
        }

        @Test
        void aFileThatCannotBeParsedRefusesEveryKeyUntilItIsFixed() throws Exception {
            start();
            Path file = dir.resolve("keys.json");
            String good = Files.readString(file);
            Files.writeString(file, "[{ broken");
            assertProblem(api.get(api.keyA, "/api/v1/quota"), 401, "auth.unknown_key");
            Files.writeString(file, good + " ");
            assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class InSqlite extends Cases {
        @Override
        ApiKeyStore open() {
            return database(() -> "jdbc:sqlite:" + dir.resolve("aar.db"));
        }
    }

    @Nested
    class InPostgres extends Cases {
        private String url;

        @Override
        ApiKeyStore open() {
            return database(() -> {
                if (url == null) {
                    RequiredService.requirePostgres();
                    String schema = "aar_keys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                    url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + schema;
                    org.jdbi.v3.core.Jdbi.create("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
                            .useHandle(h -> h.execute("CREATE SCHEMA " + schema));
                    closing.add(() -> org.jdbi.v3.core.Jdbi.create("jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
                            .useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE")));
                }
                return url;
            });
        }
    }
}
