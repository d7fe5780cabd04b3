-- Each job's own wall time beside its phases' times: the phases overlap (Indexing starts on the first
-- extracted files, Analyzing runs beside it), so the job takes less than their sum, and preflight
-- estimates the wall time from how much recent jobs overlapped. 0 = measured before phases overlapped.

ALTER TABLE job_throughput ADD COLUMN elapsed_millis BIGINT NOT NULL DEFAULT 0;
