/**
 * In-memory implementations of the SDK's stores: the zero-setup defaults for tests, demos and
 * single-process hosts. They keep nothing across restarts; use {@code aar-jdbc} for durability.
 */
@NullMarked
package dev.aar.core.memory;

import org.jspecify.annotations.NullMarked;
