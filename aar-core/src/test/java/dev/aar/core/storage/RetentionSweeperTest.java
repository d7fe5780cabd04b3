package dev.aar.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.StoragePolicy;
import dev.aar.core.memory.InMemoryProjectStore;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.project.Project;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.quota.QuotaUsage;
import dev.aar.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionSweeperTest {

    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    final InMemoryProjectStore projects = new InMemoryProjectStore();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
    final QuotaService quotas = new QuotaService(new InMemoryQuotaStore(), clock);

    @BeforeEach
    void open() {
        blobs = FileSystemBlobStore.open(dir);
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    @Test
    void deletesProjectsPastRetentionWithTheirBlobsAndGivesStorageBack() {
        quotas.setLimits("acme", 0, 0, 1000);
        quotas.reserve("acme", QuotaUsage.storage(300));
        Project old = project("old", Duration.ofDays(91), 100);
        Project recent = project("recent", Duration.ofDays(89), 200);
        blobs.put("projects/old/report.json", new ByteArrayInputStream(new byte[3]));
        blobs.put("projects/recent/report.json", new ByteArrayInputStream(new byte[3]));

        RetentionSweeper sweeper = new RetentionSweeper(projects, blobs, StoragePolicy.defaults(), quotas);
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(1);

        assertThat(projects.find("old")).isEmpty();
        assertThat(blobs.exists(old.archiveKey())).isFalse();
        assertThat(blobs.list("projects/old/")).isEmpty();
        assertThat(projects.find("recent")).isPresent();
        assertThat(blobs.exists(recent.archiveKey())).isTrue();
        assertThat(blobs.exists("projects/recent/report.json")).isTrue();
        assertThat(quotas.usage("acme").orElseThrow().storageUsedBytes()).isEqualTo(200);
        assertThat(sweeper.sweep(clock.instant())).isZero();
    }

    @Test
    void zeroDaysKeepsEverything() {
        project("old", Duration.ofDays(10_000), 1);
        RetentionSweeper sweeper = new RetentionSweeper(projects, blobs,
                StoragePolicy.builder().retentionDays(0).build(), null);
        assertThat(sweeper.sweep(clock.instant())).isZero();
        assertThat(projects.find("old")).isPresent();
    }

    private Project project(String id, Duration age, long bytes) {
        String key = "uploads/" + id;
        blobs.put(key, new ByteArrayInputStream(new byte[(int) bytes]));
        Project p = new Project(id, "acme", id + ".zip", key, bytes, false, null, null, clock.instant().minus(age));
        projects.create(p);
        return p;
    }
}
