/**
 * The sealed blob format behind {@link dev.aar.core.storage.PolicyBlobStore}: the framing around Tink's
 * streaming AEAD, the key import and the compression. Internal: these classes may change at any time; the
 * on-disk format itself is versioned and described in {@code docs/storage-policy.md}.
 */
package dev.aar.core.storage.internal;
