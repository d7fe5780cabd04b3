package dev.aar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aar.core.testing.JdkSources;
import dev.aar.examples.server.TestZips;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding examples run as written, on a tiny project and on a codebase over the auto-approval thresholds. */
class EmbeddingExamplesTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;
    private Path zip;

    @BeforeEach
    void capture() throws Exception {
        zip = Files.write(dir.resolve("demo.zip"), TestZips.smallProject());
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(original);
    }

    private String out() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void customListenerMainPrintsEveryPhaseAFindingAndTheReport() throws Exception {
        CustomListenerMain.main(new String[] {zip.toString()});

        assertThat(out()).contains("Extracting", "Indexing", "Analyzing", "Saving", "finding: ", "done: report ")
                .doesNotContain("needs approval");
    }

    @Test
    void customListenerMainApprovesACodebaseOfAFewThousandFilesAndAnalysesIt() throws Exception {
        Path large = GeneratedCodebase.write(dir.resolve("shop.zip"), GeneratedCodebase.FEW_THOUSAND);

        CustomListenerMain.main(new String[] {large.toString()});

        assertThat(out()).contains("preflight: 2,500 files", "needs approval", "done: report ");
    }

    @Test
    void customListenerMainAnalysesTheJdksJavaUtilAsWritten() throws Exception {
        Path src = JdkSources.zip();
        assumeTrue(src != null, "no JDK src.zip on this machine: the generated codebase tests cover the flow");
        Path util = dir.resolve("java-util.zip");
        try (ZipFile jdk = new ZipFile(src.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(util))) {
            for (ZipEntry e : Collections.list(jdk.entries())) {
                if (!e.isDirectory() && e.getName().startsWith("java.base/java/util/")) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = jdk.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }

        CustomListenerMain.main(new String[] {util.toString()});

        // java.base/java/util is over the token threshold (about 2.3 M tokens): the example approves it itself
        assertThat(out()).contains("needs approval", "done: report ");
    }

    @Test
    void customBlobStoreMainKeepsTheArchiveAndTheReportInTheHostsStore() throws Exception {
        CustomBlobStoreMain.main(new String[] {zip.toString()});

        assertThat(out()).containsPattern("report \\S+: [1-9]\\d* findings").contains("archive.zip");
    }

    @Test
    void customBlobStoreMainSubmitsACodebaseOfAFewThousandFilesWithItsApproval() throws Exception {
        Path large = GeneratedCodebase.write(dir.resolve("shop.zip"), GeneratedCodebase.FEW_THOUSAND);

        CustomBlobStoreMain.main(new String[] {large.toString()});

        assertThat(out()).containsPattern("report \\S+: \\d+ findings").contains("archive.zip");
    }

    @Test
    void theDatabaseMainApprovesAndAnalysesACodebaseOfAFewThousandFiles() throws Exception {
        Path large = GeneratedCodebase.write(dir.resolve("shop.zip"), GeneratedCodebase.FEW_THOUSAND);

        // the same code path as PostgreSQL (JdbcBackend.applyTo), on a SQLite file
        PostgresMain.run("jdbc:sqlite:" + dir.resolve("aar.db"), large);

        assertThat(out()).contains("report ", "on sqlite");
    }
}
