/**
 * Storage SPI: where uploaded archives, upload parts and reports live ({@link dev.aar.storage.BlobStore})
 * and where resumable upload sessions are tracked ({@link dev.aar.storage.UploadSessionStore}).
 *
 * <p>This module depends on nothing but the JDK (and {@code aar-spi}, JDK-only too), so a backend can
 * implement it without pulling in the SDK's runtime. Backend failures surface as
 * {@link java.io.UncheckedIOException}, preferably {@link dev.aar.storage.BlobStoreException}, under the
 * SPIs' common root {@link dev.aar.spi.BackendException}; the SDK's core translates them into its own exceptions.
 */
@NullMarked
package dev.aar.storage;

import org.jspecify.annotations.NullMarked;
