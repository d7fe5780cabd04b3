package dev.aar.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ReportStore} shares; each implementation's test extends this. */
public abstract class ReportStoreContractTest {

    protected ReportStore store;

    /** Returns a new, empty store. */
    protected abstract ReportStore createStore() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = createStore();
    }

    @Test
    void savesAndFindsByIdExactly() {
        Report r = Reports.sample("r-1", "p-1", Instant.parse("2026-11-27T10:00:00.5Z"));
        store.save(r);
        assertThat(store.find("r-1")).contains(r);
        assertThat(store.find("r-unknown")).isEmpty();
    }

    @Test
    void listsAProjectsReportsNewestFirst() {
        store.save(Reports.sample("r-old", "p-1", Instant.parse("2026-01-01T00:00:00Z")));
        store.save(Reports.sample("r-new", "p-1", Instant.parse("2026-06-01T00:00:00Z")));
        store.save(Reports.sample("r-other", "p-2", Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(store.listByProject("p-1")).extracting(Report::reportId).containsExactly("r-new", "r-old");
        assertThat(store.listByProject("p-3")).isEmpty();
    }

    @Test
    void replacesAReportSavedAgain() {
        store.save(Reports.sample("r-1", "p-1", Instant.parse("2026-01-01T00:00:00Z")));
        Report again = Reports.sample("r-1", "p-1", Instant.parse("2026-02-01T00:00:00Z"));
        store.save(again);
        assertThat(store.find("r-1")).contains(again);
        assertThat(store.listByProject("p-1")).hasSize(1);
    }

    @Test
    void deletesAProjectsReports() {
        store.save(Reports.sample("r-1", "p-1", Instant.parse("2026-01-01T00:00:00Z")));
        store.save(Reports.sample("r-2", "p-1", Instant.parse("2026-01-02T00:00:00Z")));
        store.save(Reports.sample("r-3", "p-2", Instant.parse("2026-01-03T00:00:00Z")));
        assertThat(store.deleteProject("p-1")).isEqualTo(2);
        assertThat(store.find("r-1")).isEmpty();
        assertThat(store.listByProject("p-1")).isEmpty();
        assertThat(store.find("r-3")).isPresent();
    }
}
