/**
 * The one masking step for everything that leaves the SDK: {@link dev.aar.core.redact.Redactor} hides
 * secrets (private keys, credentials in URLs and connection strings, cloud and VCS tokens, values of
 * {@code .env} files) and server paths in text, and {@link dev.aar.core.redact.ClientError} turns a
 * failure into what a client may see: a stable code, a safe message and a correlation id that the
 * server log repeats beside the full detail.
 *
 * <p>This package uses only {@code dev.aar.core.error}, so every other package may use it.
 */
@NullMarked
package dev.aar.core.redact;

import org.jspecify.annotations.NullMarked;
