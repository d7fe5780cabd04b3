package dev.aar.core.storage;

import dev.aar.core.config.StoragePolicy;
import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaService;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes projects older than {@code StoragePolicy.RetentionDays}: their archive, every blob under
 * {@code projects/<id>/}, and the project record; the archive's bytes go back to the storage quota.
 * A retention of 0 days keeps everything.
 */
public final class RetentionSweeper {

    /** Key prefix under which a project's derived blobs (reports, extracted data) live. */
    public static final String PROJECT_PREFIX = "projects/";

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final ProjectStore projects;
    private final BlobStore blobs;
    private final int retentionDays;
    private final @Nullable QuotaService quotas;
    private final DerivedData derived;

    /** What else a host keeps per project (embeddings, reports, ...), deleted before the project record. */
    @FunctionalInterface
    public interface DerivedData {
        /** Deletes everything kept for {@code project} outside the blob store; must be idempotent. */
        void delete(Project project);
    }

    /** @param quotas gives storage back per deleted archive; may be null */
    public RetentionSweeper(ProjectStore projects, BlobStore blobs, StoragePolicy policy, @Nullable QuotaService quotas) {
        this(projects, blobs, policy, quotas, project -> { });
    }

    /**
     * @param quotas gives storage back per deleted archive; may be null
     * @param derived deletes what the project left in other stores, before its record goes
     */
    public RetentionSweeper(ProjectStore projects, BlobStore blobs, StoragePolicy policy, @Nullable QuotaService quotas,
            DerivedData derived) {
        this.projects = Objects.requireNonNull(projects, "projects");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.retentionDays = policy.retentionDays();
        this.quotas = quotas;
        this.derived = Objects.requireNonNull(derived, "derived");
    }

    /**
     * Deletes every project created more than the retention period before {@code now}.
     *
     * @return how many projects were deleted
     */
    public int sweep(Instant now) {
        if (retentionDays == 0) {
            return 0;
        }
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        int deleted = 0;
        for (Project p : projects.createdBefore(cutoff)) {
            blobs.delete(p.archiveKey());
            for (BlobInfo blob : blobs.list(PROJECT_PREFIX + p.id() + "/")) {
                blobs.delete(blob.key());
            }
            derived.delete(p);
            // the record goes last: if the sweep dies half-way, the next one finds the project again
            if (projects.delete(p.id())) {
                deleted++;
                if (quotas != null) {
                    quotas.releaseStorage(p.ownerId(), p.archiveBytes());
                }
            }
        }
        if (deleted > 0) {
            log.info("retention: deleted {} projects created before {}", deleted, cutoff);
        }
        return deleted;
    }

}
