package dev.aar.spring;

import dev.aar.core.Aar;

/**
 * Changes the {@link Aar.Builder} before the starter builds the {@code Aar} bean: a host's own blob
 * store or embedding provider, say. Every such bean is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface AarBuilderCustomizer {

    /** Sets what this customizer contributes on {@code builder}. */
    void customize(Aar.Builder builder);
}
