package dev.aar.benchmarks;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.Cancellation;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.SkipReason;
import dev.aar.core.extract.internal.ArchiveWalker;
import dev.aar.core.extract.internal.EntryContent;
import dev.aar.core.extract.internal.EntryVisitor;
import dev.aar.core.extract.internal.ZipLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Heap retained by an open central directory, and the time to read it, for docs/extraction.md "Memory":
 * commons-compress's {@code ZipFile} against the walker here, on {@code LowMemoryTest}'s archive
 * (50,000 entries with 1,000-byte names, plus ten small files; made at {@code ZIP} if absent).
 * <pre>
 * java -Xmx1g -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.ZipDirectoryMemoryMain \
 *     commons|commons-local|walker ZIP
 * </pre>
 * {@code commons} opens with {@code setIgnoreLocalFileHeader(true)}, {@code commons-local} reads the
 * local headers too (the default). Retained = heap used after a full GC with the directory open, minus
 * the same before opening it.
 */
public final class ZipDirectoryMemoryMain {

    private ZipDirectoryMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        String what = args[0];
        Path zip = Path.of(args[1]);
        if (!Files.exists(zip)) {
            write(zip);
        }
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        long[] retained = new long[1];
        long entries;
        switch (what) {
            case "commons", "commons-local" -> {
                try (SeekableByteChannel ch = Files.newByteChannel(zip);
                     ZipFile z = ZipFile.builder().setSeekableByteChannel(ch)
                             .setIgnoreLocalFileHeader(what.equals("commons")).get()) {
                    retained[0] = usedAfterGc() - before;
                    entries = Collections.list(z.getEntries()).size();
                }
            }
            case "walker" -> {
                ScaleLimits limits = ScaleLimits.builder().maxArchiveEntries(60_000).build();
                EntryVisitor visitor = new EntryVisitor() {
                    @Override
                    public void started(long totalEntries) {
                        // the central directory is read and checked; its per-entry arrays are live here
                        retained[0] = usedAfterGc() - before;
                    }

                    @Override
                    public void file(String path, long declaredSize, EntryContent content) throws IOException {
                        content.transferTo(OutputStream.nullOutputStream());
                    }

                    @Override
                    public void skipped(String path, SkipReason reason, String detail) {
                    }
                };
                entries = ArchiveWalker.walk(zip, ZipLimits.of(limits, ExtractionOptions.defaults()), 1,
                        Cancellation.NEVER, visitor).entries();
            }
            default -> throw new IllegalArgumentException("commons, commons-local or walker, not " + what);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s: %d entries, retained %.1f MiB, %d ms (max heap %d MiB)%n", what, entries,
                retained[0] / 1048576.0, ms, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The layout of {@code LowMemoryTest.longNames}: 50,000 entries with 1,000-byte names (all excluded) plus ten files. */
    private static void write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.setLevel(1);
            String pad = "n".repeat(980);
            for (int i = 0; i < 50_000; i++) {
                z.putNextEntry(new ZipEntry("node_modules/" + pad + String.format("%07d", i)));
                z.closeEntry();
            }
            for (int i = 0; i < 10; i++) {
                z.putNextEntry(new ZipEntry("f" + i + ".txt"));
                z.write("x".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }
}
