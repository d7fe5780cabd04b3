-- JobQueue.purgeFinished deletes succeeded and cancelled jobs by the time they reached that state
-- (updated_at, which nothing changes once a job is finished) in batches; this index lets each batch
-- read only the rows it deletes instead of scanning the whole table. Dead letters are found through
-- jobs_dead_letters (V2). IF NOT EXISTS: on a large table the index may be built beforehand without
-- blocking writers (see docs/jdbc.md, "Purging finished jobs").

CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (updated_at) WHERE state IN ('SUCCEEDED', 'CANCELLED');
