-- What each finished analysis job measured, phase by phase: preflight estimates a new job's time
-- from the medians of the most recent rows (ThroughputEstimator), so every node estimates from
-- the same history. The store keeps the newest 1,000 rows.

CREATE TABLE job_throughput (
    job_id            TEXT PRIMARY KEY,
    finished_at       BIGINT NOT NULL,
    embedding_model   TEXT NOT NULL,
    files             BIGINT NOT NULL,
    bytes             BIGINT NOT NULL,
    tokens            BIGINT NOT NULL,
    extracting_millis BIGINT NOT NULL,
    indexing_millis   BIGINT NOT NULL,
    analyzing_millis  BIGINT NOT NULL,
    saving_millis     BIGINT NOT NULL,
    estimated_seconds REAL NOT NULL
);

CREATE INDEX job_throughput_recent ON job_throughput (finished_at);
