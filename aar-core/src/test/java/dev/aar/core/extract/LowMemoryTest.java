package dev.aar.core.extract;

import static dev.aar.core.extract.HostileArchiveTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction and preflight of a large archive and of hostile ones in a JVM forked with
 * {@code -Xmx64m}, on the test classpath: memory stays bounded whatever the archive.
 */
class LowMemoryTest {

    @TempDir
    Path dir;

    @Test
    void everythingWorksIn64MiBOfHeap() throws Exception {
        Path large = largeArchive(dir.resolve("large.zip"));
        Path names = longNames(dir.resolve("names.zip"));
        Path bomb = dir.resolve("bomb.zip");
        ZipBuilder b = new ZipBuilder();
        b.add("zeros.txt", new byte[200 << 20]).descriptor();
        Files.write(bomb, b.build());
        Path overlap = dir.resolve("overlap.zip");
        ZipBuilder o = new ZipBuilder();
        o.add("kernel.txt", text(1 << 20, 1));
        for (int i = 0; i < 5_000; i++) {
            o.add("copy" + i + ".txt", "").sharesDataOf(0).declaredSize(1 << 20);
        }
        Files.write(overlap, o.build());

        Path tarNames = dir.resolve("names.tar.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tarNames))) {
            // random names: in a tar.gz the headers count towards the compression ratio, and 50,000
            // copies of one padded name would be refused as a bomb before memory is tested
            TarBuilder t = new TarBuilder(gz);
            java.util.Random random = new java.util.Random(5);
            StringBuilder pad = new StringBuilder();
            for (int i = 0; i < 50_000; i++) {
                pad.setLength(0);
                while (pad.length() < 980) {
                    pad.append(Long.toHexString(random.nextLong()));
                }
                pad.setLength(980);
                t.pax("path", "node_modules/" + pad + String.format("%07d", i)).file("x", "");
            }
            for (int i = 0; i < 10; i++) {
                t.file("f" + i + ".txt", "x");
            }
            t.end();
        }
        Path tarBomb = dir.resolve("bomb.tar.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tarBomb))) {
            TarBuilder t = new TarBuilder(gz).header("zeros.txt", '0', "", 200L << 20);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gz.write(zeros);
            }
            t.end();
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), LowMemoryMain.class.getName(),
                dir.resolve("work").toString(), "60000", large.toString(), names.toString(), bomb.toString(),
                overlap.toString(), tarNames.toString(), tarBomb.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("large.zip extract-file OK 5005", "large.zip extract-stream OK 5005",
                        "large.zip preflight-fast OK 5005", "large.zip preflight-stream OK 5005")
                .contains("names.zip extract-file OK 10", "names.zip extract-stream OK 10")
                .contains("bomb.zip extract-file REJECTED archive.compression_ratio",
                        "bomb.zip extract-stream REJECTED archive.compression_ratio",
                        "bomb.zip preflight-fast REJECTED archive.compression_ratio")
                .contains("overlap.zip extract-file REJECTED archive.", "overlap.zip extract-stream REJECTED archive.")
                .contains("names.tar.gz extract-file OK 10", "names.tar.gz extract-stream OK 10",
                        "names.tar.gz preflight-fast OK 10", "names.tar.gz preflight-stream OK 10")
                .contains("bomb.tar.gz extract-file REJECTED archive.compression_ratio",
                        "bomb.tar.gz extract-stream REJECTED archive.compression_ratio",
                        "bomb.tar.gz preflight-fast REJECTED archive.compression_ratio")
                .contains("heap max");
    }

    /** 5,000 small sources plus five 5 MB files: about 40 MB inflated (entry-count pressure comes from the names archive). */
    private static Path largeArchive(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            z.setLevel(1);
            String small = text(3_000, 7);
            for (int i = 0; i < 5_000; i++) {
                z.putNextEntry(new ZipEntry("src/p" + (i % 200) + "/F" + i + ".java"));
                z.write(small.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
            byte[] big = text(5_000_000, 9).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) {
                z.putNextEntry(new ZipEntry("data/big" + i + ".txt"));
                z.write(big);
                z.closeEntry();
            }
        }
        return file;
    }

    /** 50,000 entries with 1,000-byte names (all excluded) plus ten files: the names alone are 50 MB. */
    private static Path longNames(Path file) throws IOException {
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
        return file;
    }
}
