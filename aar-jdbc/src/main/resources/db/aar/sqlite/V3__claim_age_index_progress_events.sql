-- The job queue's AGE claim order (enqueue order whatever the priority) reads this index instead of
-- sorting the backlog; progress_events exists so both databases have the same tables (only the
-- PostgreSQL progress bridge writes it).

CREATE INDEX jobs_claimable_age ON jobs (id) WHERE state IN ('QUEUED', 'RUNNING');

CREATE TABLE progress_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at BIGINT NOT NULL,
    event_json TEXT NOT NULL
);
CREATE INDEX progress_events_created ON progress_events (created_at);
