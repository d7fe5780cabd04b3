/** PostgreSQL and SQLite implementations of the SDK's stores and job queue (Jdbi + Flyway). */
@NullMarked
package dev.aar.jdbc;

import org.jspecify.annotations.NullMarked;
