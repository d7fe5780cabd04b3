/**
 * Blob storage in core: the embedded {@link dev.aar.core.storage.FileSystemBlobStore}, the
 * {@link dev.aar.core.storage.PolicyBlobStore} decorator that encrypts and compresses at rest, and
 * the {@link dev.aar.core.storage.RetentionSweeper} that deletes projects' data past retention.
 */
@NullMarked
package dev.aar.core.storage;

import org.jspecify.annotations.NullMarked;
