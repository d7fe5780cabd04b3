-- The job queue (with its error history; dead letters are jobs in state DEAD_LETTERED), projects,
-- reports with their findings, and chunks with their embeddings.

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT, -- also the FIFO enqueue order
    type             VARCHAR(200) NOT NULL,
    payload          TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    state            VARCHAR(20) NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    fencing_token    BIGINT NOT NULL DEFAULT 0,
    lease_owner      VARCHAR(200),
    lease_expires_at BIGINT,
    run_at           BIGINT NOT NULL,
    idempotency_key  VARCHAR(200) UNIQUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    dead_lettered_at BIGINT
);
CREATE INDEX jobs_claimable ON jobs (priority DESC, id) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX jobs_dead_letters ON jobs (dead_lettered_at, id) WHERE state = 'DEAD_LETTERED';

CREATE TABLE job_errors (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    at      BIGINT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX job_errors_job ON job_errors (job_id, id);

CREATE TABLE projects (
    id                TEXT PRIMARY KEY,
    owner_id          TEXT NOT NULL,
    name              VARCHAR(500) NOT NULL,
    archive_key       VARCHAR(1000) NOT NULL,
    archive_bytes     BIGINT NOT NULL,
    requires_approval INTEGER,
    approved_by       TEXT,
    approved_at       BIGINT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX projects_owner ON projects (owner_id, created_at);
CREATE INDEX projects_created ON projects (created_at);

CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL,
    job_id      TEXT,
    owner_id    TEXT NOT NULL,
    is_success  INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX reports_project ON reports (project_id, created_at);

CREATE TABLE findings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    project_id  TEXT NOT NULL,
    severity    VARCHAR(20) NOT NULL,
    rule        VARCHAR(200) NOT NULL,
    description TEXT NOT NULL,
    file        VARCHAR(1000),
    line        INTEGER
);
CREATE INDEX findings_report ON findings (report_id, id);

-- vector: float32 little-endian, dimensions * 4 bytes
CREATE TABLE chunks (
    project_id   TEXT NOT NULL,
    chunk_id     TEXT NOT NULL,
    model        VARCHAR(200) NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    file         VARCHAR(1000) NOT NULL,
    start_line   INTEGER NOT NULL,
    end_line     INTEGER NOT NULL,
    text         TEXT NOT NULL,
    dimensions   INTEGER NOT NULL,
    vector       BLOB NOT NULL,
    PRIMARY KEY (project_id, chunk_id)
);
CREATE INDEX chunks_model_hash ON chunks (model, content_hash);
