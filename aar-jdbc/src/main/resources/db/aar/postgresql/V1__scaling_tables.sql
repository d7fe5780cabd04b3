-- The spec's three tables (JobCheckpoints, UploadSessions, OrganizationQuotas) plus upload parts.
-- Ids are TEXT (the SPIs' ids are opaque strings); instants are BIGINT epoch milliseconds (UTC),
-- the same on PostgreSQL and SQLite, so every store runs the same SQL on both.

CREATE TABLE job_checkpoints (
    job_id               TEXT PRIMARY KEY,
    project_id           TEXT NOT NULL,
    phase                VARCHAR(100) NOT NULL,
    last_processed_file  VARCHAR(500),
    processed_file_count INTEGER NOT NULL,
    total_file_count     INTEGER NOT NULL,
    checkpoint_data      TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX job_checkpoints_project ON job_checkpoints (project_id);

CREATE TABLE upload_sessions (
    id              TEXT PRIMARY KEY,
    api_key_id      TEXT NOT NULL,
    file_name       VARCHAR(500) NOT NULL,
    total_size      BIGINT NOT NULL,
    part_size       BIGINT NOT NULL,
    total_parts     INTEGER NOT NULL,
    completed_parts INTEGER NOT NULL DEFAULT 0,
    sha256          VARCHAR(64),
    storage_path    VARCHAR(1000) NOT NULL,
    status          VARCHAR(50) NOT NULL,
    expires_at      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX upload_sessions_open_expiry ON upload_sessions (expires_at)
    WHERE status IN ('ACTIVE', 'FINALIZING');

CREATE TABLE upload_parts (
    session_id  TEXT NOT NULL REFERENCES upload_sessions (id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    size        BIGINT NOT NULL,
    sha256      VARCHAR(64) NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, part_number)
);

CREATE TABLE organization_quotas (
    id                    TEXT PRIMARY KEY,
    organization_id       VARCHAR(100) NOT NULL UNIQUE,
    monthly_token_limit   BIGINT NOT NULL,
    monthly_tokens_used   BIGINT NOT NULL,
    monthly_project_limit INTEGER NOT NULL,
    monthly_projects_used INTEGER NOT NULL,
    storage_limit_bytes   BIGINT NOT NULL,
    storage_used_bytes    BIGINT NOT NULL,
    period_start          BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
