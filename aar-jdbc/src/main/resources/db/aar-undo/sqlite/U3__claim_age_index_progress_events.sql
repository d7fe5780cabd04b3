-- Undoes V3: drops the AGE claim index and the large progress events (kept only for seconds anyway).
DROP TABLE IF EXISTS progress_events;
DROP INDEX IF EXISTS jobs_claimable_age;
