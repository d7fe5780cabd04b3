package dev.aar.core.pipeline;

import static dev.aar.core.internal.FileModes.assertOwnerOnlyTree;
import static dev.aar.core.internal.FileModes.assumePosix;
import static dev.aar.core.internal.FileModes.mode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.Aar;
import dev.aar.core.project.Project;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.core.worker.JobContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 "private by default": what the SDK writes under its data directory (the storage key,
 * stored archives, a job's extracted sources) is owner-only: directories 0700, files 0600.
 */
class PrivateDataDirectoryTest {

    @TempDir
    Path parent;

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("src/main/App.java"));
            zip.write("public class App {}\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("README.md"));
            zip.write("# App\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void theDataDirectoryKeyArchivesAndWorkspacesAreOwnerOnly() throws IOException {
        assumePosix(parent);
        Path data = parent.resolve("aar-data");
        try (Aar aar = Aar.builder().dataDirectory(data).build()) {
            Project project = aar.analysis().createProject("org", "app.zip", new ByteArrayInputStream(zip()));
            Workspace workspace = new Workspace(data.resolve("work"), Collaborators.of(aar).blobStore(), aar.config().scaleLimits(),
                    JsonMapper.builder().addModule(new JavaTimeModule()).build());
            JobContext job = mock(JobContext.class);
            when(job.jobId()).thenReturn("job-1");

            Workspace.Extracted sources = workspace.sources(job, project);

            assertThat(sources.files()).isEqualTo(2);
            assertThat(data.resolve("work/job-1/src/src/main/App.java")).isRegularFile();
        }
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(data.resolve("storage.key")).isRegularFile();
        // storage.key, blobs/… (the stored archive), work/job-1/{extracted.json, src/…}
        assertThat(assertOwnerOnlyTree(data)).isGreaterThan(10);
    }

    @Test
    void aWorkDirectoryMadeByAnOlderVersionIsTightened() throws IOException {
        assumePosix(parent);
        Path data = parent.resolve("aar-data");
        Files.createDirectories(data.resolve("work"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (Aar aar = Aar.builder().dataDirectory(data).build()) {
            Project project = aar.analysis().createProject("org", "app.zip", new ByteArrayInputStream(zip()));
            Workspace workspace = new Workspace(data.resolve("work"), Collaborators.of(aar).blobStore(), aar.config().scaleLimits(),
                    JsonMapper.builder().addModule(new JavaTimeModule()).build());
            JobContext job = mock(JobContext.class);
            when(job.jobId()).thenReturn("job-2");
            workspace.sources(job, project);
        }
        assertOwnerOnlyTree(data.resolve("work"));
    }
}
