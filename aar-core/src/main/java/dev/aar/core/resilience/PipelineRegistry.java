package dev.aar.core.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out {@link ResiliencePipeline}s by name, one shared instance per name, so that every caller
 * of a service shares its breaker and limiters (like Polly's {@code ResiliencePipelineProvider}).
 */
public final class PipelineRegistry implements AutoCloseable {

    private final Map<String, PipelineConfig> configs = new ConcurrentHashMap<>();
    private final Map<String, ResiliencePipeline> pipelines = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    private PipelineRegistry(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Returns a registry holding the spec's three pipelines; metrics go to {@code meters} if not null. */
    public static PipelineRegistry ofDefaults(MeterRegistry meters) {
        PipelineRegistry registry = new PipelineRegistry(meters);
        registry.register(EmbeddingPipeline.NAME, EmbeddingPipeline.config());
        registry.register(OpenAiPipeline.NAME, OpenAiPipeline.config());
        registry.register(BlobStoragePipeline.NAME, BlobStoragePipeline.config());
        return registry;
    }

    /**
     * Sets the config of the pipeline {@code name}; must happen before the pipeline is first used.
     *
     * @throws IllegalStateException if that pipeline is already in use
     */
    public PipelineRegistry register(String name, PipelineConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (pipelines.containsKey(name)) {
            throw new IllegalStateException("pipeline '" + name + "' is already in use; register its config before first use");
        }
        configs.put(name, config);
        return this;
    }

    /** Returns the config registered for {@code name}. */
    public PipelineConfig config(String name) {
        PipelineConfig config = configs.get(name);
        if (config == null) {
            throw new IllegalArgumentException("no pipeline named '" + name + "'; known: " + new java.util.TreeSet<>(configs.keySet()));
        }
        return config;
    }

    /** Returns the shared pipeline called {@code name}, creating it on first use. */
    public ResiliencePipeline pipeline(String name) {
        PipelineConfig config = config(name);
        return pipelines.computeIfAbsent(name, n -> ResiliencePipeline.of(n, config, meters));
    }

    /**
     * Returns the shared pipeline called {@code name}, like the spec's
     * {@code GetPipeline("EmbeddingPipeline")}: {@code aar.pipelines().get(EmbeddingPipeline.NAME).execute(() -> ...)}.
     *
     * @throws IllegalArgumentException if no pipeline has that name
     */
    public ResiliencePipeline get(String name) {
        return pipeline(name);
    }

    /** Returns where the pipelines publish their metrics, or null. */
    MeterRegistry meterRegistry() {
        return meters;
    }

    /** Returns the names of the registered pipelines. */
    public Set<String> names() {
        return Set.copyOf(configs.keySet());
    }

    @Override
    public void close() {
        pipelines.values().forEach(ResiliencePipeline::close);
    }
}
