/**
 * The exceptions the SDK throws on purpose, rooted at {@link dev.aar.core.error.AarException}: each
 * carries a stable machine-readable {@code code()} beside a message that says what and why.
 */
@NullMarked
package dev.aar.core.error;

import org.jspecify.annotations.NullMarked;
