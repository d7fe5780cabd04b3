/**
 * Configuration: {@link dev.aar.core.config.AarConfig} and its sections, with the spec's
 * {@code appsettings.json} keys and defaults, loaded by {@link dev.aar.core.config.ConfigLoader}.
 */
@NullMarked
package dev.aar.core.config;

import org.jspecify.annotations.NullMarked;
