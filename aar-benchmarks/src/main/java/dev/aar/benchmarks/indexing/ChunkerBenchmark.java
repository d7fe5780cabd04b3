package dev.aar.benchmarks.indexing;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.index.Chunk;
import dev.aar.core.index.Chunker;
import dev.aar.core.index.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Chunker throughput on real sources: the .java files of a JDK src.zip, chunked with the spec's
 * defaults (cl100k_base, 512 tokens, 50 overlap). Prints files/s, tokens/s and MB/s.
 *
 * <p>Run: {@code java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.indexing.ChunkerBenchmark [src.zip] [maxFiles]}
 */
public final class ChunkerBenchmark {

    private ChunkerBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path zip = Path.of(args.length > 0 ? args[0] : System.getProperty("java.home") + "/lib/src.zip");
        int maxFiles = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        List<SourceFile> files = load(zip, maxFiles);
        long chars = files.stream().mapToLong(f -> f.text().length()).sum();
        Chunker chunker = Chunker.of(EmbeddingProcessing.defaults());

        long warm = System.nanoTime();
        run(chunker, files); // warm-up: jtokkit needs a full pass before C2 has compiled it
        System.out.printf("chunker: warm-up pass %.2f s%n", (System.nanoTime() - warm) / 1e9);
        long start = System.nanoTime();
        long[] totals = run(chunker, files);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("chunker: %d files, %.1f MB, %d chunks, %d tokens in %.2f s%n",
                files.size(), chars / 1e6, totals[0], totals[1], seconds);
        System.out.printf("chunker: %.0f files/s, %.0f tokens/s, %.2f MB/s%n",
                files.size() / seconds, totals[1] / seconds, chars / 1e6 / seconds);
    }

    private static long[] run(Chunker chunker, List<SourceFile> files) {
        long chunks = 0;
        long tokens = 0;
        for (SourceFile f : files) {
            for (Chunk c : chunker.chunk(f)) {
                chunks++;
                tokens += c.tokens();
            }
        }
        return new long[] {chunks, tokens};
    }

    static List<SourceFile> load(Path zip, int maxFiles) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().filter(e -> e.getName().endsWith(".java")).toList()) {
                if (files.size() >= maxFiles) {
                    break;
                }
                files.add(new SourceFile(e.getName(), new String(z.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return files;
    }
}
