/** The embedded default {@link dev.aar.storage.BlobStore}: files under a local directory. */
package dev.aar.core.storage;
