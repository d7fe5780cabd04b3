/**
 * Small runnable examples of a host application embedding the SDK: its own progress listener
 * ({@link dev.aar.examples.CustomListenerMain}), its own blob store ({@link dev.aar.examples.CustomBlobStoreMain})
 * and PostgreSQL wiring ({@link dev.aar.examples.PostgresMain}).
 */
package dev.aar.examples;
