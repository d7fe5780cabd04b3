-- Undoes V4: drops the index of finished jobs (a purge then scans the table; no data is lost).
DROP INDEX IF EXISTS jobs_finished;
