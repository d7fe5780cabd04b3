package dev.aar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.examples.server.TestZips;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
