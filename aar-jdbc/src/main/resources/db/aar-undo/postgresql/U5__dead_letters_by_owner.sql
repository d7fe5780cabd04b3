-- Undoes V5: drops the per-owner dead-letter index and the jobs' owner column (owners are lost; the
-- per-owner listing then needs V5 again).
DROP STATISTICS IF EXISTS jobs_state_owner;
DROP INDEX IF EXISTS jobs_dead_letters_owner;
ALTER TABLE jobs DROP COLUMN owner_id;
