/**
 * Implementation of {@code aar-jdbc}: the per-database customizations, the stores, the job queue
 * and the migrations runner. Internal: these types may change at any time without notice.
 */
package dev.aar.jdbc.internal;
