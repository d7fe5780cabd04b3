-- Undoes V8: drops the jobs' wall times (estimates fall back to the phases' expected overlap).
ALTER TABLE job_throughput DROP COLUMN elapsed_millis;
