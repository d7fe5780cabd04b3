/**
 * Resumable chunked uploads: {@link dev.aar.core.upload.UploadSessionManager} over a
 * {@link dev.aar.storage.BlobStore} and an {@link dev.aar.storage.UploadSessionStore}, and the
 * {@link dev.aar.core.upload.UploadSessionSweeper} that removes expired sessions and forgets closed ones past a retention.
 */
@NullMarked
package dev.aar.core.upload;

import org.jspecify.annotations.NullMarked;
