/**
 * The sealed blob format behind {@link dev.aar.core.storage.PolicyBlobStore}: framing, AES-256-GCM
 * segments and per-segment compression. Internal: these classes may change at any time; the
 * on-disk format itself is versioned and described in {@code docs/storage-policy.md}.
 */
package dev.aar.core.storage.internal;
