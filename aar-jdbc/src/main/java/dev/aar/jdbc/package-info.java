/** PostgreSQL and SQLite implementations of the SDK's stores and job queue (Jdbi + Flyway). */
package dev.aar.jdbc;
