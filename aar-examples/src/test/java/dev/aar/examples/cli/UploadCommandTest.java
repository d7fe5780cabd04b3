package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.project.Project;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.examples.server.AarServer;
import dev.aar.examples.server.ApiKeyStore;
import dev.aar.examples.server.EventHub;
import dev.aar.examples.server.ServerJson;
import dev.aar.examples.server.TcpProxy;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UploadCommandTest {

    private static final int PART_SIZE = 64 * 1024;

    @TempDir
    Path dir;

    private Aar aar;
    private AarServer server;
    private String key;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() {
        AarConfig config = AarConfig.defaults().toBuilder()
                .resumableUpload(ResumableUpload.builder().chunkSizeBytes(PART_SIZE).build()).build();
        aar = Aar.builder().config(config).dataDirectory(dir.resolve("data")).build();
        ObjectMapper json = ServerJson.create();
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        key = keys.issue("org-a", "test").secret();
        server = AarServer.create(aar, keys, new EventHub(json), json, null).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        aar.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AarCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path randomFile(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return Files.write(dir.resolve("project.zip"), bytes);
    }

    @Test
    void anInterruptedUploadResumesWithTheMissingPartsAndCreatesTheProject() throws Exception {
        Path file = randomFile(20 * PART_SIZE + 123);
        Path state = dir.resolve("state");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start()) {
            String url = "http://127.0.0.1:" + proxy.port();
            proxy.cutAfter(8L * PART_SIZE); // the network goes away part-way through

            Run first = run("upload", file.toString(), "--server", url, "--key", key, "--state-dir", state.toString(),
                    "--parts", "2", "--attempts", "2");
            assertThat(first.exit()).as(first.err()).isEqualTo(AarCli.EXIT_INTERNAL);
            assertThat(first.err()).contains("run the same command again");
            try (Stream<Path> saved = Files.list(state)) {
                assertThat(saved).hasSize(1);
            }

            proxy.start();
            Run second = run("upload", file.toString(), "--server", url, "--key", key, "--state-dir", state.toString());
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.err()).containsPattern("resuming session \\S+: [1-9][\\d,]* of [\\d,]+ bytes already on the server");
            String projectId = second.out().trim();
            Project project = aar.analysis().project("org-a", projectId);
            assertThat(project.archiveBytes()).isEqualTo(Files.size(file));
            try (InputStream stored = Collaborators.of(aar).blobStore().get(project.archiveKey()).orElseThrow()) {
                assertThat(sha256(stored.readAllBytes())).isEqualTo(sha256(Files.readAllBytes(file)));
            }
            try (Stream<Path> saved = Files.list(state)) {
                assertThat(saved).isEmpty(); // done: nothing left to resume
            }
        }
    }

    @Test
    void sendsSha256ChecksumsWhenAskedAndLastPartsShorterThanTheBuffer() throws Exception {
        Path file = randomFile(3 * PART_SIZE + 7);
        Run run = run("upload", file.toString(), "--server", "http://127.0.0.1:" + server.port(), "--key", key,
                "--state-dir", dir.resolve("state").toString(), "--checksum", "sha256", "--parts", "1");
        assertThat(run.exit()).as(run.err()).isZero();
        Project project = aar.analysis().project("org-a", run.out().trim());
        try (InputStream stored = Collaborators.of(aar).blobStore().get(project.archiveKey()).orElseThrow()) {
            assertThat(sha256(stored.readAllBytes())).isEqualTo(sha256(Files.readAllBytes(file)));
        }
        Run unknown = run("upload", file.toString(), "--server", "http://127.0.0.1:" + server.port(), "--key", key,
                "--checksum", "md4");
        assertThat(unknown.exit()).isEqualTo(AarCli.EXIT_REFUSED);
        assertThat(unknown.err()).contains("--checksum");
    }

    @Test
    void theChecksumHeadersAreWhatTheServerParses() {
        java.nio.ByteBuffer abc = java.nio.ByteBuffer.wrap("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(UploadCommand.checksumHeader(UploadCommand.Checksum.crc32c, abc))
                .containsExactly(java.util.Map.entry("x-checksum-crc32c", "Nks/tw=="));
        assertThat(UploadCommand.checksumHeader(UploadCommand.Checksum.sha256, abc)).containsExactly(java.util.Map.entry(
                "x-checksum-sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertThat(abc.remaining()).isEqualTo(3); // the part's buffer is left for sending
    }

    @Test
    void aWrongKeyIsRefusedWithExitCode2() throws Exception {
        Path file = randomFile(1000);
        Run run = run("upload", file.toString(), "--server", "http://127.0.0.1:" + server.port(), "--key", "aar_nope",
                "--state-dir", dir.resolve("state").toString());
        assertThat(run.exit()).isEqualTo(AarCli.EXIT_REFUSED);
        assertThat(run.err()).contains("unknown API key");
    }

    @Test
    void dlqListsAnEmptyQueueAndRefusesARedriveOfAnUnknownJob() {
        String url = "http://127.0.0.1:" + server.port();
        Run list = run("dlq", "list", "--server", url, "--key", key);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("the dead-letter queue is empty");
        Run redrive = run("dlq", "redrive", "no-such-job", "--server", url, "--key", key);
        assertThat(redrive.exit()).isEqualTo(AarCli.EXIT_REFUSED);
        assertThat(redrive.err()).contains("no-such-job");
    }

    @Test
    void dlqListsTheOrganizationsOwnDeadLettersUpToTheLimit() {
        for (String owner : List.of("org-other", "org-a", "org-a")) {
            Collaborators.of(aar).jobQueue().enqueue(JobRequest.of("analysis", "{\"projectId\":\"p-" + owner + "\",\"ownerId\":\""
                    + owner + "\"}", JobPriority.NORMAL).withOwner(owner));
            Lease lease = Collaborators.of(aar).jobQueue().claim("w", 1, Duration.ofMinutes(1), JobPriority.LOW).get(0);
            Collaborators.of(aar).jobQueue().fail(lease.jobId(), lease.fencingToken(), "gave up", null);
        }
        String url = "http://127.0.0.1:" + server.port();

        Run list = run("dlq", "list", "--limit", "1", "--server", url, "--key", key);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("p-org-a").contains("gave up").doesNotContain("p-org-other");
        assertThat(list.out().lines().filter(l -> l.contains("p-org-a")).count()).isEqualTo(1);
        Run bad = run("dlq", "list", "--limit", "0", "--server", url, "--key", key);
        assertThat(bad.exit()).isEqualTo(AarCli.EXIT_REFUSED);
        assertThat(bad.err()).contains("limit");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
