/**
 * The SDK's entry point, {@link dev.aar.core.Aar}: a builder that wires a configuration and one backend
 * per SPI. The exceptions live in {@link dev.aar.core.error}.
 */
@NullMarked
package dev.aar.core;

import org.jspecify.annotations.NullMarked;
