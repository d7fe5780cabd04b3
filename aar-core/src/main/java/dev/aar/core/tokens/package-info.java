/** Token counting with jtokkit, shared by preflight and chunking so both count the same way. */
package dev.aar.core.tokens;
