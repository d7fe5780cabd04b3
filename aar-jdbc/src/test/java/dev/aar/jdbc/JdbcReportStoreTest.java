package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportStore;
import dev.aar.core.report.ReportStoreContractTest;
import dev.aar.core.report.Spend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The report-store contract kit on both databases, plus the findings rows and the owner column. */
class JdbcReportStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends ReportStoreContractTest {
        final KitDatabase db;
        private JdbcBackend backend;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected ReportStore createStore() {
            backend = db.fresh();
            return backend.reportStore();
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
        }

        @Test
        void findingsAreRowsTooAndTheOwnerComesFromTheProject() {
            Instant at = Instant.parse("2026-03-01T10:00:00Z");
            backend.projectStore().create(new Project("p1", "alice", "shop", "uploads/p1.zip", 10, null, null, null, at));
            Report report = Report.builder("r1", "p1", "7").createdAt(at).spend(new Spend(0, 0))
                    .inventory(new Inventory(0, 0, List.of(), List.of(), 0, 0, 0, 0, 0))
                    .findings(List.of(new Finding(Severity.HIGH, "dependency-cycle", "a -> b -> a", "A.java", 3, "ev"),
                            new Finding(Severity.INFO, "note", "project-wide", null, null, null)))
                    .build();

            store.save(report);
            store.save(report); // replaced, not duplicated

            Jdbi jdbi = Jdbi.create(backend.dataSource());
            String owner = jdbi.withHandle(h -> h.createQuery("SELECT owner_id FROM reports WHERE id = 'r1'")
                    .mapTo(String.class).one());
            assertThat(owner).isEqualTo("alice");
            List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(
                    "SELECT severity, rule, file, line FROM findings WHERE report_id = 'r1' ORDER BY id").mapToMap().list());
            assertThat(rows).extracting(r -> r.get("severity"), r -> r.get("rule"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("High", "dependency-cycle"),
                            org.assertj.core.groups.Tuple.tuple("Info", "note"));
            store.deleteProject("p1");
            int left = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM findings").mapTo(Integer.class).one());
            assertThat(left).isZero();
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(new KitDatabase(TestDatabase::sqlite));
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(new KitDatabase(TestDatabase::postgres));
        }
    }
}
