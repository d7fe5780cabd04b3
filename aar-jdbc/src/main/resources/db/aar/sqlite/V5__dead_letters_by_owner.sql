-- Jobs carry their owner (an organization id, JobRequest.owner), so JobQueue.deadLetters(owner, limit)
-- lists one organization's dead letters through an index instead of a window shared by everyone.
-- Existing analysis jobs that may still be listed or re-driven get their owner from the payload the SDK
-- wrote ("ownerId"); other jobs keep NULL, so they are listed for operators only.

ALTER TABLE jobs ADD COLUMN owner_id TEXT;

UPDATE jobs SET owner_id = json_extract(payload, '$.ownerId')
WHERE type = 'analysis' AND json_valid(payload) AND state IN ('QUEUED', 'RUNNING', 'DEAD_LETTERED');

CREATE INDEX IF NOT EXISTS jobs_dead_letters_owner ON jobs (owner_id, dead_lettered_at, id)
    WHERE state = 'DEAD_LETTERED';
