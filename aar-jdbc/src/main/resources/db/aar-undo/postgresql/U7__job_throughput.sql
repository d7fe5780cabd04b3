-- Undoes V7: drops the job measurements (estimates fall back to the configured model).
DROP TABLE IF EXISTS job_throughput;
