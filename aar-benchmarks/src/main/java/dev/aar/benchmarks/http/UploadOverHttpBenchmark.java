package dev.aar.benchmarks.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.project.Project;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.examples.server.AarServer;
import dev.aar.examples.server.ApiKeyStore;
import dev.aar.examples.server.EventHub;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The quick-start server's uploads over loopback (docs/BENCHMARKS.md, "HTTP uploads"): a file of
 * random bytes sent by one {@code curl} request to {@code /api/v1/projects/upload}, against the
 * resumable protocol (session, parts in parallel with their SHA-256, finalize, project) from
 * {@link java.net.http.HttpClient}, with the whole file in one {@code HttpClient} request as a control
 * between the two, and the shipped client ({@code aar upload}, the CLI's own code run in this JVM), in
 * rotating order, to the same in-process server.
 *
 * <p>Usage: {@code java -Xmx256m -cp benchmarks.jar dev.aar.benchmarks.http.UploadOverHttpBenchmark
 * [DIR=/dev/shm/aar-http-bench] [MiB=1024] [partMiB=4] [connections=4] [rounds=3] [no-checksums]}. The data
 * directory and the source file live in DIR. Storage encryption is off unless {@code AAR_STORAGE_KEY}
 * (base64 of 32 bytes) is set; compression is off (random bytes do not compress). The Java client's
 * buffer size can be set with {@code -Djdk.httpclient.bufsize}. {@code -Daar.bench.variants=cli,curl} runs only
 * the variants named (of {@code curl}, {@code java}, {@code resumable}, {@code cli}; default all four), e.g.
 * to profile one.
 */
public final class UploadOverHttpBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long WARMUP_MIB = 256;
    private static final String ORG = "bench";
    /** The JDK HTTP client's documented buffer-size property (module java.net.http, default 16 KiB). */
    private static final String CLIENT_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
    private static final String VARIANTS_PROPERTY = "aar.bench.variants";

    private UploadOverHttpBenchmark() {
    }

    /** One measured upload. */
    private record Run(int round, String variant, double seconds, double mibPerSecond, HeapSampler.Heap heap,
            int throttled, String load, String breakdown, String cpu) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/dev/shm/aar-http-bench");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int partMib = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        boolean checksums = args.length <= 5 || !args[5].equals("no-checksums");
        String storageKey = System.getenv("AAR_STORAGE_KEY");

        Files.createDirectories(dir);
        Path source = dir.resolve("source.bin");
        Path warmup = dir.resolve("warmup.bin");
        long size = mib * MIB;
        writeRandom(source, size, 1);
        writeRandom(warmup, WARMUP_MIB * MIB, 2);
        String sourceSha = sha256(Files.newInputStream(source));

        ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        AarConfig config = AarConfig.builder()
                .scaleLimits(ScaleLimits.defaults().toBuilder().maxUploadSizeMb((int) Math.max(2 * mib, 1024)).build())
                .resumableUpload(ResumableUpload.defaults().toBuilder().chunkSizeBytes(partMib * (int) MIB).build())
                .storagePolicy(StoragePolicy.defaults().toBuilder().compressionEnabled(false)
                        .encryptionEnabled(storageKey != null).encryptionKey(storageKey).build())
                .build();
        Path data = dir.resolve("data");
        FileSystemBlobStore files = FileSystemBlobStore.open(data.resolve("blobs"));
        BlobStore blobs = storageKey == null ? files : PolicyBlobStore.wrap(files, config.storagePolicy());
        HeapSampler heap = new HeapSampler();
        List<Run> runs = new ArrayList<>();
        // keys are issued through the server's own store: it keeps them in memory once loaded
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        try (files; Aar aar = Aar.builder().config(config).dataDirectory(data).blobStore(blobs).build();
                AarServer server = AarServer.create(aar, keys, new EventHub(json), json, null).start("127.0.0.1", 0)) {
            URI base = URI.create("http://127.0.0.1:" + server.port());
            CurlUpload curl = new CurlUpload(base.resolve("/api/v1/projects/upload?name=bench"));
            JavaDirectUpload javaDirect = new JavaDirectUpload(base.resolve("/api/v1/projects/upload?name=bench"));
            ResumableHttpUploader resumable = new ResumableHttpUploader(base, json, connections, checksums);
            CliUpload cli = new CliUpload(base, dir.resolve("cli-state"));
            System.out.printf(Locale.ROOT, "source: %d MiB of random bytes at %s (sha256 %s); parts of %d MiB from %d"
                    + " connections%s; %d rounds; encryption %s; max heap %d MiB; JVM %s; %s=%s%n", mib, source, sourceSha,
                    partMib, connections, checksums ? ", x-checksum-sha256 on every part" : ", NO part checksums", rounds,
                    storageKey == null ? "off" : "AES-256-GCM",
                    Runtime.getRuntime().maxMemory() / MIB, System.getProperty("java.vm.version"), CLIENT_BUFFER_PROPERTY,
                    System.getProperty(CLIENT_BUFFER_PROPERTY, "unset (16384)"));
            System.out.println("curl: " + curl.describe(source));
            System.out.println("cli: " + cli.describe(source) + " (the CLI's defaults: --parts "
                    + "4, parts of the server's ChunkSizeBytes)");

            // unmeasured: lets the JIT compile the server's read path, the part hashing and the client
            String warmKey = keys.issue(ORG, "warmup").secret();
            discard(aar, idOf(json, curl.run(warmup, warmKey, dir.resolve("response.json")).body()));
            discard(aar, idOf(json, javaDirect.run(warmup, warmKey)));
            discard(aar, resumable.upload(warmup, WARMUP_MIB * MIB, warmKey).projectId());
            discard(aar, cli.run(warmup, warmKey));

            System.out.println("| round | variant | seconds | MiB/s | CPU s (server JVM + client) | heap MiB: after GC"
                    + " before → min–max during → after GC | 429s | load avg (1/5/15 min) at start | resumable breakdown |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            List<String> variants = List.of(System.getProperty(VARIANTS_PROPERTY, "curl,java,resumable,cli").split(","));
            for (int round = 1; round <= rounds; round++) {
                // rotate the order between rounds, so no variant always runs first or last
                for (int i = 0; i < variants.size(); i++) {
                    String variant = variants.get((i + round - 1) % variants.size());
                    String key = keys.issue(ORG, "round-" + round + "-" + variant).secret();
                    Run run = switch (variant) {
                        case "curl" -> measureCurl(round, curl, source, size, key, dir, aar, json, heap, sourceSha);
                        case "java" -> measureJavaDirect(round, javaDirect, source, size, key, aar, json, heap, sourceSha);
                        case "cli" -> measureCli(round, cli, source, size, key, aar, heap, sourceSha);
                        default -> measureResumable(round, resumable, source, size, key, aar, heap, sourceSha, partMib,
                                connections);
                    };
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.0f | %s | %s (%d samples) | %d | %s | %s |%n",
                            run.round(), run.variant(), run.seconds(), run.mibPerSecond(), run.cpu(), run.heap(),
                            run.heap().samples(), run.throttled(), run.load(), run.breakdown());
                }
            }
        }
        double curlMedian = median(runs, "curl");
        double javaMedian = median(runs, "HttpClient");
        double resumableMedian = median(runs, "resumable");
        double cliMedian = median(runs, "aar upload");
        System.out.printf(Locale.ROOT, "median: curl %.0f MiB/s, HttpClient one request %.0f MiB/s, resumable %.0f MiB/s,"
                + " aar upload %.0f MiB/s; resumable/curl %.2f, resumable/HttpClient one request %.2f, aar upload/curl"
                + " %.2f%n", curlMedian, javaMedian, resumableMedian, cliMedian, resumableMedian / curlMedian,
                resumableMedian / javaMedian, cliMedian / curlMedian);
        Files.deleteIfExists(source);
        Files.deleteIfExists(warmup);
        Files.deleteIfExists(dir.resolve("response.json"));
    }

    /** What one timed upload gave: its result, wall time, the JVM's CPU, its heap and the load when it started. */
    private record Timed<T>(T result, double seconds, double jvmCpu, HeapSampler.Heap heap, String load) {
    }

    /** Runs {@code upload} between the same measurements for every variant. */
    private static <T> Timed<T> timed(HeapSampler heap, Callable<T> upload) throws Exception {
        String load = loadAverage();
        HeapSampler.Phase phase = heap.start();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        T result = upload.call();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double jvmCpu = (processCpuNanos() - cpu0) / 1e9;
        return new Timed<>(result, seconds, jvmCpu, phase.stop(), load);
    }

    private static Run run(int round, String variant, long size, Timed<?> t, int throttled, String breakdown, String cpu) {
        return new Run(round, variant, t.seconds(), size / (double) MIB / t.seconds(), t.heap(), throttled, t.load(),
                breakdown, cpu);
    }

    private static Run measureCurl(int round, CurlUpload curl, Path source, long size, String key, Path dir, Aar aar,
            ObjectMapper json, HeapSampler heap, String sourceSha) throws Exception {
        Path response = dir.resolve("response.json");
        Files.deleteIfExists(response);
        Timed<CurlUpload.Result> t = timed(heap, () -> curl.run(source, key, response));
        verifyAndDiscard(aar, idOf(json, t.result().body()), size, sourceSha);
        return run(round, "curl, one request", size, t, 0, "",
                String.format(Locale.ROOT, "%.2f + %.2f (curl)", t.jvmCpu(), t.result().cpuSeconds()));
    }

    private static Run measureJavaDirect(int round, JavaDirectUpload upload, Path source, long size, String key, Aar aar,
            ObjectMapper json, HeapSampler heap, String sourceSha) throws Exception {
        Timed<String> t = timed(heap, () -> upload.run(source, key));
        verifyAndDiscard(aar, idOf(json, t.result()), size, sourceSha);
        return run(round, "HttpClient, one request", size, t, 0, "", inJvm(t));
    }

    private static Run measureResumable(int round, ResumableHttpUploader uploader, Path source, long size, String key,
            Aar aar, HeapSampler heap, String sourceSha, int partMib, int connections) throws Exception {
        Timed<ResumableHttpUploader.Result> t = timed(heap, () -> uploader.upload(source, size, key));
        ResumableHttpUploader.Result result = t.result();
        verifyAndDiscard(aar, result.projectId(), size, sourceSha);
        String breakdown = String.format(Locale.ROOT, "parts %.2f s, finalize+project %.2f s, client SHA-256 %.2f s"
                + " (summed over threads)", result.partsSeconds(), result.finalizeSeconds(), result.clientHashSeconds());
        return run(round, "resumable " + partMib + " MiB × " + connections, size, t, result.throttled(), breakdown,
                inJvm(t));
    }

    private static Run measureCli(int round, CliUpload cli, Path source, long size, String key, Aar aar,
            HeapSampler heap, String sourceSha) throws Exception {
        Timed<String> t = timed(heap, () -> cli.run(source, key));
        verifyAndDiscard(aar, t.result(), size, sourceSha);
        return run(round, "aar upload (CLI code in the JVM)", size, t, 0, "", inJvm(t));
    }

    private static String inJvm(Timed<?> t) {
        return String.format(Locale.ROOT, "%.2f (client in the JVM)", t.jvmCpu());
    }

    /** Checks the stored archive byte for byte (by SHA-256), outside the timing, then deletes it. */
    private static void verifyAndDiscard(Aar aar, String projectId, long size, String sourceSha) throws IOException {
        Project p = Collaborators.of(aar).projectStore().find(projectId).orElseThrow();
        String stored;
        try (InputStream in = Collaborators.of(aar).blobStore().get(p.archiveKey()).orElseThrow()) {
            stored = sha256(in);
        }
        if (p.archiveBytes() != size || !stored.equals(sourceSha)) {
            throw new IllegalStateException("project " + projectId + " holds " + p.archiveBytes() + " bytes with sha256 "
                    + stored + ", expected " + size + " bytes with " + sourceSha);
        }
        discard(aar, projectId);
    }

    private static void discard(Aar aar, String projectId) {
        Collaborators.of(aar).projectStore().find(projectId).ifPresent(p -> Collaborators.of(aar).blobStore().delete(p.archiveKey()));
    }

    /** CPU time of this whole JVM: the server, and the Java clients when they run. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String idOf(ObjectMapper json, String body) throws IOException {
        return json.readTree(body).get("id").asText();
    }

    private static double median(List<Run> runs, String prefix) {
        double[] v = runs.stream().filter(r -> r.variant().startsWith(prefix)).mapToDouble(Run::mibPerSecond).sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest sha = ResumableHttpUploader.sha256();
        byte[] buf = new byte[256 * 1024];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
