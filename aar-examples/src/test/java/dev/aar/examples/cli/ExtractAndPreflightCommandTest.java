package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code aar preflight} and {@code aar extract} in-process and checks output and exit codes. */
class ExtractAndPreflightCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = AarCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path zip(String name, String... entries) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            for (int i = 0; i < entries.length; i += 2) {
                z.putNextEntry(new ZipEntry(entries[i]));
                z.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return p;
    }

    private Path tarGz(String name, String... entries) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(p));
             TarArchiveOutputStream t = new TarArchiveOutputStream(os)) {
            for (int i = 0; i < entries.length; i += 2) {
                TarArchiveEntry e = new TarArchiveEntry(entries[i], true);
                byte[] data = entries[i + 1].getBytes(StandardCharsets.UTF_8);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return p;
    }

    @Test
    void aTarGzIsEstimatedAndExtractedLikeAZip() throws IOException {
        // named .zip on purpose: the format is read from the first bytes
        Path tgz = tarGz("project.zip", "repo/src/A.java", "class A {}", "repo/node_modules/b.js", "b");
        Run preflight = run("preflight", tgz.toString(), "--json", "--exact");
        assertThat(preflight.code()).as(preflight.err()).isZero();
        assertThat(new ObjectMapper().readTree(preflight.out()).get("fileCount").asLong()).isEqualTo(1);
        Run extract = run("extract", tgz.toString(), dir.resolve("out").toString());
        assertThat(extract.code()).as(extract.err()).isZero();
        assertThat(dir.resolve("out/repo/src/A.java")).hasContent("class A {}");
        Run evil = run("preflight", tarGz("evil.tgz", "/etc/evil.txt", "x").toString());
        assertThat(evil.code()).isEqualTo(2);
        assertThat(evil.err()).contains("archive.path_traversal");
    }

    @Test
    void preflightPrintsTheSpecsJson() throws IOException {
        Path zip = zip("ok.zip", "src/A.java", "class A { int x = 1; }", "node_modules/b.js", "b");
        Run r = run("preflight", zip.toString(), "--json", "--exact");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("fileCount").asLong()).isEqualTo(1);
        assertThat(json.get("estimatedTokens").asLong()).isPositive();
        assertThat(json.get("isWithinLimits").asBoolean()).isTrue();
        assertThat(json.get("requiresApproval").asBoolean()).isFalse();
        assertThat(json.get("rejectionReasons")).isEmpty();
        assertThat(json.has("estimatedProcessingTimeMinutes")).isTrue();
    }

    @Test
    void preflightSummaryAndRefusal() throws IOException {
        Run ok = run("preflight", zip("ok.zip", "a.txt", "hello").toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("files:", "tokens:", "within limits");
        Run evil = run("preflight", zip("evil.zip", "../../evil.txt", "x").toString());
        assertThat(evil.code()).isEqualTo(2);
        assertThat(evil.out()).contains("REFUSED");
        assertThat(evil.err()).contains("archive.path_traversal", "outside the target directory");
    }

    @Test
    void extractPrintsCountsAndEverySkip() throws IOException {
        Path zip = zip("ok.zip", "src/A.java", "class A {}", ".git/config", "x", "bin/tool.exe", "MZ\u0000\u0000");
        Run r = run("extract", zip.toString(), dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("extracted 1 files", "skipped .git/config: skip.excluded_directory",
                "skipped bin/tool.exe: skip.excluded_directory");
        assertThat(dir.resolve("out/src/A.java")).hasContent("class A {}");
    }

    @Test
    void extractJson() throws IOException {
        Path zip = zip("ok.zip", "a.txt", "a", "img.bin", "\u0000\u0001");
        Run r = run("extract", zip.toString(), dir.resolve("out").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("filesWritten").asLong()).isEqualTo(1);
        assertThat(json.get("skipped").get(0).get("reason").asText()).isEqualTo("BINARY");
    }

    @Test
    void extractRefusesHostileArchivesWithExitTwoAndLeavesNothing() throws IOException {
        Run r = run("extract", zip("evil.zip", "a.txt", "a", "../evil.txt", "x").toString(), dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("archive.path_traversal");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void missingFilesAndCorruptArchivesAreRefused() throws IOException {
        assertThat(run("extract", dir.resolve("nope.zip").toString(), dir.resolve("o").toString()).code()).isEqualTo(2);
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        Run r = run("extract", junk.toString(), dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("archive.corrupt");
    }
}
