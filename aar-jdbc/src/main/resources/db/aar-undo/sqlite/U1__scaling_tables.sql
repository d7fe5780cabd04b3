-- Undoes V1: drops the spec's scaling tables (the "migration down" of the rollback procedure).
DROP TABLE IF EXISTS organization_quotas;
DROP TABLE IF EXISTS upload_parts;
DROP TABLE IF EXISTS upload_sessions;
DROP TABLE IF EXISTS job_checkpoints;
