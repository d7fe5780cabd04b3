package dev.aar.examples;

import dev.aar.core.Aar;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.preflight.Approval;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.JobPriority;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Embedding example: every store and the job queue on PostgreSQL, so several processes running
 * this share one queue (each claims jobs with {@code FOR UPDATE SKIP LOCKED}).
 *
 * <pre>AAR_DATABASE_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *     java -cp aar.jar dev.aar.examples.PostgresMain project.zip</pre>
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = System.getenv("AAR_DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("set AAR_DATABASE_URL to a jdbc:postgresql: URL");
        }
        run(url, Path.of(args.length > 0 ? args[0] : "project.zip"));
    }

    /** Analyses {@code zip} with every store and the queue in the database at {@code url} (SQLite works too). */
    static void run(String url, Path zip) throws Exception {
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        try (JdbcBackend db = JdbcBackend.create(url)) {
            Aar.Builder builder = db.applyTo(Aar.builder()).listener(e -> {
                if (e instanceof JobCompleted c) {
                    done.complete(c);
                }
            });
            try (Aar aar = builder.build()) {
                aar.startWorkers();
                Project project;
                try (InputStream in = Files.newInputStream(zip)) {
                    project = aar.analysis().createProject("my-org", zip.getFileName().toString(), in);
                }
                // the preflight is recorded with the project; one over the thresholds is approved by the host
                PreflightResult preflight = aar.analysis().preflight("my-org", project.id(), TokenMode.FAST);
                if (preflight.requiresApproval()) {
                    aar.analysis().approve("my-org", project.id(), Approval.of("PostgresMain",
                            preflight.fileCount() + " files, est. $" + preflight.estimatedCost()));
                }
                aar.analysis().submit("my-org", project.id(), JobPriority.NORMAL);
                JobCompleted completed = done.get(10, TimeUnit.MINUTES);
                if (!completed.isSuccess()) {
                    throw new IllegalStateException("analysis failed: " + completed.error());
                }
                System.out.println("report " + completed.reportId() + " (schema v" + db.schemaVersion() + " on "
                        + db.database() + ")");
            }
        }
    }
}
