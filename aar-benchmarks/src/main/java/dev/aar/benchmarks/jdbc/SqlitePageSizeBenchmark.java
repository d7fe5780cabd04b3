package dev.aar.benchmarks.jdbc;

import com.sun.management.OperatingSystemMXBean;
import dev.aar.core.internal.FileTrees;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.jdbc.JdbcBackend;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The SQLite embedding store at different page sizes (docs/BENCHMARKS.md, "SQLite page size"): writes
 * as many chunk rows as the JDK's sources make (129,386: about 2,000 characters of text and 1,536 floats
 * each, in batches of 100 as the indexer's writer does), then times three searches and 10,000
 * content-hash look-ups. Reports the process CPU time of the writes, so the page cache's state matters
 * less than for wall time; run it on an idle machine, alternating sizes, with the caches dropped between
 * runs ({@code sync; echo 3 > /proc/sys/vm/drop_caches}) for comparable numbers.
 *
 * <p>Usage: {@code java -Xmx1g -cp benchmarks.jar dev.aar.benchmarks.jdbc.SqlitePageSizeBenchmark
 * [DIR=/tmp/aar-sqlite-pages] [pageSize=65536 …]}; DIR must be on the disk under test (not tmpfs, if the
 * CLI's {@code out/} is not).
 */
public final class SqlitePageSizeBenchmark {

    private static final int ROWS = 129_386;
    private static final int BATCH = 100;
    private static final int DISTINCT = 997;
    private static final String MODEL = "text-embedding-3-small";

    private SqlitePageSizeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/aar-sqlite-pages");
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(4096, 65_536);
        }
        SplittableRandom random = new SplittableRandom(7);
        String[] texts = new String[DISTINCT];
        float[][] vectors = new float[DISTINCT][];
        char[] chars = new char[2000];
        for (int j = 0; j < DISTINCT; j++) {
            for (int k = 0; k < chars.length; k++) {
                chars[k] = (char) (32 + random.nextInt(95));
            }
            texts[j] = new String(chars);
            vectors[j] = new float[1536];
            for (int k = 0; k < 1536; k++) {
                vectors[j][k] = (float) (random.nextDouble() - 0.5);
            }
        }
        System.out.println("| page size | write CPU s | write wall s | file MB | search s (mean of 3) | 10,000 hash look-ups s |");
        System.out.println("|---|---|---|---|---|---|");
        for (int pageSize : sizes) {
            run(dir, pageSize, texts, vectors);
        }
    }

    private static void run(Path dir, int pageSize, String[] texts, float[][] vectors) throws Exception {
        FileTrees.delete(dir);
        Files.createDirectories(dir);
        Path db = dir.resolve("index.db");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double writeCpu;
        double writeWall;
        double searchSeconds;
        double lookupSeconds;
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + db).sqlitePageSize(pageSize).build()) {
            EmbeddingStore store = backend.embeddingStore();
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            for (int b = 0; b < ROWS; b += BATCH) {
                List<EmbeddedChunk> batch = new ArrayList<>(BATCH);
                for (int i = b; i < Math.min(ROWS, b + BATCH); i++) {
                    batch.add(new EmbeddedChunk("p", "F" + i / 9 + ".java#" + i % 9, MODEL, hash(i),
                            "java.base/java/util/F" + i / 9 + ".java", 1, 50, texts[i % DISTINCT], vectors[i % DISTINCT]));
                }
                store.upsert(batch);
            }
            writeCpu = (os.getProcessCpuTime() - cpu) / 1e9;
            writeWall = (System.nanoTime() - wall) / 1e9;
            long search = System.nanoTime();
            for (int q = 0; q < 3; q++) {
                store.search("p", vectors[q], 10);
            }
            searchSeconds = (System.nanoTime() - search) / 3e9;
            long lookups = System.nanoTime();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < ROWS && i / 13 < 10_000; i += 13) {
                hashes.add(hash(i));
                if (hashes.size() == BATCH) {
                    store.findVectors(MODEL, hashes);
                    hashes.clear();
                }
            }
            lookupSeconds = (System.nanoTime() - lookups) / 1e9;
        }
        // after close: the last connection checkpoints the WAL into the file
        System.out.printf(Locale.ROOT, "| %,d | %.2f | %.2f | %,d | %.2f | %.2f |%n", pageSize, writeCpu, writeWall,
                Files.size(db) >> 20, searchSeconds, lookupSeconds);
        FileTrees.delete(dir);
    }

    private static String hash(int i) {
        return String.format(Locale.ROOT, "%064x", (long) i * 0x9E3779B97F4A7C15L);
    }
}
