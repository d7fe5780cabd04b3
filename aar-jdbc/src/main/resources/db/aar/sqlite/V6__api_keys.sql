-- API keys of the quick-start server (aar serve), kept in the database when one is configured, so
-- that `aar keys create|revoke|rotate` takes effect on every node at once without a restart.
-- Only the SHA-256 of a key is stored. rights is a comma-separated list (today: approve).
-- revoked_at is when the key stops working: in the future during a rotation's grace period.

CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    organization_id VARCHAR(100) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    key_sha256      VARCHAR(64) NOT NULL,
    rights          VARCHAR(200) NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT,
    revoked_at      BIGINT
);
CREATE UNIQUE INDEX api_keys_sha256 ON api_keys (key_sha256);
