-- Undoes V2: drops the queue, projects, reports, findings and chunks (their data is lost).
DROP TABLE IF EXISTS chunks;
DROP TABLE IF EXISTS findings;
DROP TABLE IF EXISTS reports;
DROP TABLE IF EXISTS projects;
DROP TABLE IF EXISTS job_errors;
DROP TABLE IF EXISTS jobs;
