/** Token counting with jtokkit, shared by preflight and chunking so both count the same way. */
@NullMarked
package dev.aar.core.tokens;

import org.jspecify.annotations.NullMarked;
