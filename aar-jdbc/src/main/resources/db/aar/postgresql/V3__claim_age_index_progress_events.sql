-- The job queue's AGE claim order (enqueue order whatever the priority) reads this index instead of
-- sorting the backlog; progress_events carries progress events too large for a NOTIFY payload
-- between nodes (PgProgressBridge), kept for a short while.

CREATE INDEX jobs_claimable_age ON jobs (id) WHERE state IN ('QUEUED', 'RUNNING');

CREATE TABLE progress_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at BIGINT NOT NULL,
    event_json TEXT NOT NULL
);
CREATE INDEX progress_events_created ON progress_events (created_at);
