package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ZipBuilder;
import dev.aar.core.project.Project;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.tokens.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightServiceTest {

    static final Encoding CL100K = Tokenizers.encoding("cl100k_base");

    @TempDir
    Path dir;

    private static String source(int seed, int lines) {
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < lines; i++) {
            sb.append("    int value").append(r.nextInt(500)).append(" = compute(\"text ").append(r.nextInt())
                    .append("\"); // comment naïve ").append(i).append('\n');
            if (i % 7 == 0) {
                sb.append("\n\n  \t}\n");
            }
        }
        return sb.toString();
    }

    private static long utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private Path write(byte[] zip) throws IOException {
        Path p = Files.createTempFile(dir, "a", ".zip");
        Files.write(p, zip);
        return p;
    }

    @Test
    void countsOnlyIndexableFilesAndTheirExactTokens() throws IOException {
        String a = source(1, 3_000);
        String b = source(2, 10);
        ZipBuilder z = new ZipBuilder();
        z.add("src/A.java", a);
        z.add("src/B.java", b).stored();
        z.add("node_modules/x.js", "ignored");
        z.add("img.png", new byte[] {1, 0, 2});
        z.add("big.txt", "x".repeat(2_000));
        z.add("src/", new byte[0]);
        AarConfig config = AarConfig.builder().scaleLimits(ScaleLimits.builder().maxFileSizeBytes(1_000_000).build())
                .build();
        PreflightService service = new PreflightService(config);
        PreflightResult r = service.analyze(write(z.build()), TokenMode.EXACT);
        long expected = CL100K.countTokensOrdinary(a) + CL100K.countTokensOrdinary(b)
                + CL100K.countTokensOrdinary("x".repeat(2_000));
        assertThat(r.fileCount()).isEqualTo(3);
        assertThat(r.totalBytes()).isEqualTo(utf8(a) + utf8(b) + 2_000);
        assertThat(r.estimatedTokens()).isEqualTo(expected);
        assertThat(r.estimatedCost()).isEqualTo(expected / 1e6 * EmbeddingProcessing.DEFAULT_COST_PER_MILLION_TOKENS);
        assertThat(r.isWithinLimits()).isTrue();
        assertThat(r.rejectionReasons()).isEmpty();
        Estimate cold = ThroughputEstimator.coldStart(config).estimate(3, r.totalBytes(), expected);
        assertThat(r.estimate()).isEqualTo(cold);
        assertThat(r.estimatedProcessingTimeMinutes()).isEqualTo(cold.minutes()).isEqualTo(1);
        assertThat(r.estimatedProcessingTimeSeconds()).isEqualTo((long) Math.ceil(cold.totalSeconds()));
        PreflightResult fast = service.analyze(write(z.build()), TokenMode.FAST);
        assertThat(fast).as("small archives are counted exactly in fast mode too").isEqualTo(r);
        PreflightResult streamed = service.analyze(new ByteArrayInputStream(z.build()), TokenMode.EXACT, Cancellation.NEVER);
        assertThat(streamed).isEqualTo(r);
        assertThat(service.analyze(new ByteArrayInputStream(z.build()), TokenMode.FAST, Cancellation.NEVER))
                .as("a small stream is counted exactly in fast mode too").isEqualTo(r);
    }

    @Test
    void jsonHasExactlyTheSpecsFields() throws IOException {
        PreflightResult r = new PreflightResult(1500, 52428800, 350000, 0.035, 15, false, true,
                List.of(new RejectionReason("archive.too_many_entries", "too many")));
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r));
        Iterator<String> names = json.fieldNames();
        assertThat(names).toIterable().as("the spec's fields first, then the SDK's").containsExactly("fileCount",
                "totalBytes", "estimatedTokens", "estimatedCost", "estimatedProcessingTimeMinutes", "requiresApproval",
                "isWithinLimits", "rejectionReasons", "estimatedProcessingTimeSeconds", "estimatedStartInSeconds",
                "estimate");
        assertThat(json.get("isWithinLimits").asBoolean()).isTrue();
        assertThat(json.get("rejectionReasons").get(0).get("code").asText()).isEqualTo("archive.too_many_entries");
        assertThat(json.get("rejectionReasons").get(0).get("message").asText()).isEqualTo("too many");
        assertThat(new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(r), PreflightResult.class))
                .isEqualTo(r);
    }

    @Test
    void limitsCountWhatWillBeReviewedNotExcludedDirectories() throws IOException {
        ZipBuilder z = new ZipBuilder();
        for (int i = 0; i < 200; i++) {
            z.add("node_modules/pkg" + i + "/index.js", "module.exports = " + i + ";");
        }
        for (int i = 0; i < 5; i++) {
            z.add("src/f" + i + ".js", source(i, 20));
        }
        PreflightService service = new PreflightService(config(l -> l.maxFilesPerProject(5)));
        for (PreflightResult r : List.of(service.analyze(write(z.build()), TokenMode.FAST),
                service.analyze(new ByteArrayInputStream(z.build()), TokenMode.FAST, Cancellation.NEVER))) {
            assertThat(r.fileCount()).isEqualTo(5);
            assertThat(r.isWithinLimits()).as("%s", r.rejectionReasons()).isTrue();
        }
    }

    @Test
    void anExcludedDirectoryCostsOnlyItsListingEvenWhenItsEntriesLookLikeABomb() throws IOException {
        ZipBuilder z = new ZipBuilder();
        z.add("node_modules/huge/zeros.bin", new byte[64 << 20]); // 64 MiB from ~64 KiB: a ratio of ~1000
        z.add("src/a.js", source(1, 20));
        PreflightResult r = new PreflightService(AarConfig.defaults()).analyze(write(z.build()), TokenMode.FAST);
        assertThat(r.isWithinLimits()).as("%s", r.rejectionReasons()).isTrue();
        assertThat(r.fileCount()).isEqualTo(1);

        ZipBuilder outside = new ZipBuilder();
        outside.add("zeros.bin", new byte[64 << 20]);
        PreflightResult bomb = new PreflightService(AarConfig.defaults()).analyze(write(outside.build()), TokenMode.FAST);
        assertThat(bomb.rejectionReasons()).as("the same entry anywhere else is still a bomb")
                .extracting(RejectionReason::code).containsExactly("archive.compression_ratio");
    }

    @Test
    void approvalIsRequiredOverEitherThreshold() throws IOException {
        ZipBuilder z = new ZipBuilder();
        for (int i = 0; i < 5; i++) {
            z.add("f" + i + ".txt", source(i, 20));
        }
        Path zip = write(z.build());
        PreflightResult few = new PreflightService(config(l -> l.autoApprovalThresholdFiles(5))).analyze(zip, TokenMode.EXACT);
        assertThat(few.requiresApproval()).isFalse();
        PreflightResult files = new PreflightService(config(l -> l.autoApprovalThresholdFiles(4))).analyze(zip, TokenMode.EXACT);
        assertThat(files.requiresApproval()).isTrue();
        PreflightResult tokens = new PreflightService(config(l -> l.autoApprovalThresholdTokens(10))).analyze(zip, TokenMode.EXACT);
        assertThat(tokens.requiresApproval()).isTrue();
        assertThat(tokens.isWithinLimits()).isTrue();
    }

    @Test
    void limitsAndHostileArchivesBecomeReasonsWithCodes() throws IOException {
        ZipBuilder z = new ZipBuilder();
        for (int i = 0; i < 11; i++) {
            z.add("f" + i + ".txt", "x");
        }
        PreflightResult many = new PreflightService(config(l -> l.maxFilesPerProject(10))).analyze(write(z.build()),
                TokenMode.FAST);
        assertThat(many.isWithinLimits()).isFalse();
        assertThat(many.rejectionReasons()).extracting(RejectionReason::code).containsExactly("archive.too_many_files");
        assertThat(many.rejectionReasons().get(0).message()).contains("11 indexable files", "MaxFilesPerProject = 10");
        PreflightResult entries = new PreflightService(config(l -> l.maxArchiveEntries(10))).analyze(write(z.build()),
                TokenMode.FAST);
        assertThat(entries.rejectionReasons()).extracting(RejectionReason::code).containsExactly("archive.too_many_entries");
        assertThat(entries.rejectionReasons().get(0).message()).contains("MaxArchiveEntries = 10");

        ZipBuilder evil = new ZipBuilder();
        evil.add("../../etc/passwd", "x");
        PreflightService service = new PreflightService(AarConfig.defaults());
        for (PreflightResult r : List.of(service.analyze(write(evil.build()), TokenMode.FAST),
                service.analyze(new ByteArrayInputStream(evil.build()), TokenMode.FAST, Cancellation.NEVER),
                onChannel(service, write(evil.build()), TokenMode.FAST))) {
            assertThat(r.isWithinLimits()).isFalse();
            assertThat(r.rejectionReasons()).extracting(RejectionReason::code).containsExactly("archive.path_traversal");
        }

        ZipBuilder big = new ZipBuilder();
        StringBuilder random = new StringBuilder();
        java.util.Random rnd = new java.util.Random(3);
        while (random.length() < 1_500_000) {
            random.append(Integer.toHexString(rnd.nextInt()));
        }
        big.add("random.txt", random.toString()).stored();
        PreflightService oneMb = new PreflightService(config(l -> l.maxUploadSizeMb(1)));
        assertThat(oneMb.analyze(write(big.build()), TokenMode.FAST).rejectionReasons())
                .extracting(RejectionReason::code).contains("archive.upload_too_large");
        assertThat(oneMb.analyze(new ByteArrayInputStream(big.build()), TokenMode.FAST, Cancellation.NEVER)
                .rejectionReasons()).extracting(RejectionReason::code).contains("archive.upload_too_large");
        assertThat(onChannel(oneMb, write(big.build()), TokenMode.FAST).rejectionReasons())
                .extracting(RejectionReason::code).contains("archive.upload_too_large");
    }

    @Test
    void aSeekableChannelCountsWhatTheFileCounts() throws IOException {
        ZipBuilder z = new ZipBuilder();
        for (int i = 0; i < 40; i++) {
            z.add("src/F" + i + ".java", source(i, 200 + 37 * i));
        }
        z.add("node_modules/x/index.js", "ignored();");
        z.add("bin/blob.bin", new byte[4096]);
        Path file = write(z.build());
        PreflightService service = new PreflightService(AarConfig.defaults());
        for (TokenMode mode : TokenMode.values()) {
            PreflightResult fromFile = service.analyze(file, mode);
            PreflightResult fromChannel = onChannel(service, file, mode);
            assertThat(fromChannel.fileCount()).isEqualTo(fromFile.fileCount()).isEqualTo(40);
            assertThat(fromChannel.totalBytes()).isEqualTo(fromFile.totalBytes());
            assertThat(fromChannel.estimatedTokens()).isEqualTo(fromFile.estimatedTokens());
            assertThat(fromChannel.rejectionReasons()).isEqualTo(fromFile.rejectionReasons());
        }
    }

    private static PreflightResult onChannel(PreflightService service, Path file, TokenMode mode) throws IOException {
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            return service.analyze(channel, mode, Cancellation.NEVER);
        }
    }

    @Test
    void analysesAProjectsStoredArchive() throws IOException {
        ZipBuilder z = new ZipBuilder();
        z.add("a.txt", "hello world");
        try (FileSystemBlobStore blobs = FileSystemBlobStore.open(dir.resolve("blobs"))) {
            blobs.put("projects/p1/archive.zip", new ByteArrayInputStream(z.build()));
            Project p = new Project("p1", "org", "a.zip", "projects/p1/archive.zip", 100, null, null, null, Instant.now());
            PreflightResult r = new PreflightService(AarConfig.defaults()).analyze(p, blobs, TokenMode.EXACT);
            assertThat(r.fileCount()).isEqualTo(1);
            assertThat(r.estimatedTokens()).isEqualTo(CL100K.countTokensOrdinary("hello world"));
        }
    }

    @Test
    void streamCounterIsExactAcrossPieces() throws IOException {
        long whole = CL100K.countTokensOrdinary(source(9, 20_000));
        StreamTokenCounter counter = new StreamTokenCounter(CL100K);
        String code = source(9, 20_000);
        byte[] codeBytes = code.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(counter.count(codeBytes, 100, new ByteArrayInputStream(codeBytes, 100, codeBytes.length - 100)))
                .isEqualTo(whole);
        assertThat(codeBytes.length).as("more than one piece, more than the largest piece").isGreaterThan(
                StreamTokenCounter.MAX_PIECE);
    }


    private static AarConfig config(java.util.function.UnaryOperator<ScaleLimits.Builder> f) {
        return AarConfig.builder().scaleLimits(f.apply(ScaleLimits.builder()).build()).build();
    }
}
