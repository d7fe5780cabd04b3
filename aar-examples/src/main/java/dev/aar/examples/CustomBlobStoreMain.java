package dev.aar.examples;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.preflight.Approval;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.queue.JobPriority;
import dev.aar.storage.BlobInfo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Embedding example: the SDK storing archives and reports in a host-written {@link InMemoryBlobStore},
 * wired with {@code Aar.builder().blobStore(...)}, which puts the storage policy and the blob pipeline
 * around it; the host owns the store and closes it, and submits with its own approval.
 *
 * <pre>java -cp aar.jar dev.aar.examples.CustomBlobStoreMain project.zip</pre>
 */
public final class CustomBlobStoreMain {

    private CustomBlobStoreMain() {
    }

    private static String processKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static void main(String[] args) throws Exception {
        Path zip = Path.of(args.length > 0 ? args[0] : "project.zip");
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        // the builder puts the StoragePolicy (encrypted, compressed by default) and the BlobStoragePipeline
        // around the host's store; this store lives as long as the process, so the key may too
        AarConfig config = AarConfig.defaults().toBuilder()
                .storagePolicy(StoragePolicy.defaults().toBuilder().encryptionKey(processKey()).build()).build();
        try (InMemoryBlobStore blobs = new InMemoryBlobStore();
                Aar aar = Aar.builder().config(config).blobStore(blobs).listener(e -> {
                    if (e instanceof JobCompleted c) {
                        done.complete(c);
                    }
                }).build()) {
            aar.startWorkers();
            Project project;
            try (InputStream in = Files.newInputStream(zip)) {
                project = aar.analysis().createProject("my-org", zip.getFileName().toString(), in);
            }
            // over the auto-approval thresholds a project needs an approval: pass the host's with the submission
            aar.analysis().submit("my-org", project.id(), JobPriority.NORMAL,
                    Approval.of("CustomBlobStoreMain", "example run on the given archive"));
            JobCompleted completed = done.get(10, TimeUnit.MINUTES);
            if (!completed.isSuccess()) {
                throw new IllegalStateException("analysis failed: " + completed.error());
            }
            Report report = aar.analysis().report("my-org", completed.reportId()).orElseThrow();
            System.out.println("report " + report.reportId() + ": " + report.findings().size() + " findings");
            System.out.println("blobs in the host's store (sealed: AES-256-GCM):");
            for (BlobInfo b : blobs.list("")) {
                System.out.printf("  %-70s %,d bytes%n", b.key(), b.size());
            }
        }
    }
}
