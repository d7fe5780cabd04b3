/**
 * What the SPI modules share: {@link dev.aar.spi.BackendException}, the root of every backend
 * failure. This module depends on nothing but the JDK.
 */
@NullMarked
package dev.aar.spi;

import org.jspecify.annotations.NullMarked;
