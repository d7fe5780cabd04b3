/**
 * Spring Boot auto-configuration for the SDK: an {@code Aar} bean from {@code aar.*} properties, with
 * listeners, meters, workers tied to the context's lifecycle and an Actuator health indicator. See
 * {@code docs/spring-boot.md}.
 */
@NullMarked
package dev.aar.spring;

import org.jspecify.annotations.NullMarked;
