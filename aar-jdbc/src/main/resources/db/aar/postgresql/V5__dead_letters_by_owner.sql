-- Jobs carry their owner (an organization id, JobRequest.owner), so JobQueue.deadLetters(owner, limit)
-- lists one organization's dead letters through an index instead of a window shared by everyone.
-- Existing analysis jobs that may still be listed or re-driven get their owner from the payload the SDK
-- wrote (always JSON with "ownerId"); other jobs keep NULL, so they are listed for operators only.
-- IF NOT EXISTS: on a large table the index may be built beforehand without blocking writers
-- (CREATE INDEX CONCURRENTLY, see docs/jdbc.md).

ALTER TABLE jobs ADD COLUMN IF NOT EXISTS owner_id TEXT;

UPDATE jobs SET owner_id = payload::jsonb ->> 'ownerId'
WHERE type = 'analysis' AND owner_id IS NULL AND state IN ('QUEUED', 'RUNNING', 'DEAD_LETTERED');

CREATE INDEX IF NOT EXISTS jobs_dead_letters_owner ON jobs (owner_id, dead_lettered_at, id)
    WHERE state = 'DEAD_LETTERED';

-- The planner would otherwise judge "state = 'DEAD_LETTERED' AND owner_id = ?" by the owner's jobs of
-- every state, and for an owner with many finished jobs prefer jobs_dead_letters with a filter
-- (reading every other owner's dead letters); statistics on the pair tell it how few are dead.
CREATE STATISTICS IF NOT EXISTS jobs_state_owner (mcv) ON state, owner_id FROM jobs;
