package dev.aar.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered, immutable set of analyzers with unique ids; what an {@link AnalysisRunner} runs.
 *
 * <p>Registration is explicit: {@code Analyzers.builder().add(new MyAnalyzer()).build()}, or
 * {@link #builtIn(AnalysisConfig)} for the SDK's own rules.
 */
public final class Analyzers {

    private final List<Analyzer> analyzers;
    private final AnalysisLimits limits;

    private Analyzers(List<Analyzer> analyzers, AnalysisLimits limits) {
        this.analyzers = List.copyOf(analyzers);
        this.limits = limits;
    }

    /**
     * Returns the built-in analyzers that {@code config} enables, in their run order: inventory,
     * dependency cycles, layering, secrets, hotspots.
     */
    public static Analyzers builtIn(AnalysisConfig config) {
        return builder().addBuiltIns(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the analyzers in run order. */
    public List<Analyzer> list() {
        return analyzers;
    }

    /**
     * Returns the limits a run of these analyzers keeps to: those of the config given to
     * {@link Builder#addBuiltIns} or {@link Builder#limits}, else the defaults.
     */
    public AnalysisLimits limits() {
        return limits;
    }

    /** Returns the ids in run order. */
    public List<String> ids() {
        return analyzers.stream().map(Analyzer::id).toList();
    }

    /** Returns the analyzer with {@code id}, if registered. */
    public Optional<Analyzer> find(String id) {
        return analyzers.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** Collects analyzers; refuses a second analyzer with an id already added. */
    public static final class Builder {
        private final Map<String, Analyzer> byId = new LinkedHashMap<>();
        private AnalysisConfig config;
        private AnalysisLimits limits = AnalysisLimits.defaults();

        private Builder() {
        }

        /** Sets the limits a run keeps to (the default: {@link AnalysisLimits#defaults()}). */
        public Builder limits(AnalysisLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Adds the built-in analyzers that {@code config} enables.
         *
         * @see Analyzers#builtIn(AnalysisConfig)
         */
        public Builder addBuiltIns(AnalysisConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            this.limits = config.limits();
            for (Analyzer a : List.of(new InventoryAnalyzer(), new DependencyCycleAnalyzer(config),
                    new LayeringAnalyzer(config), new SecretsAnalyzer(), new HotspotAnalyzer(config))) {
                add(a);
            }
            return this;
        }

        /**
         * Adds {@code analyzer} at the end of the run order.
         *
         * @throws IllegalArgumentException if an analyzer with the same id was added already
         */
        public Builder add(Analyzer analyzer) {
            Objects.requireNonNull(analyzer, "analyzer");
            String id = Objects.requireNonNull(analyzer.id(), "analyzer id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("analyzer " + analyzer.getClass().getName() + " has a blank id");
            }
            if (byId.putIfAbsent(id, analyzer) != null) {
                throw new IllegalArgumentException("two analyzers share the id '" + id + "': "
                        + byId.get(id).getClass().getName() + " and " + analyzer.getClass().getName());
            }
            return this;
        }

        /** Returns the registry; analyzers disabled in the config given to {@link #addBuiltIns} are left out. */
        public Analyzers build() {
            List<Analyzer> enabled = new ArrayList<>();
            for (Analyzer a : byId.values()) {
                if (config == null || config.isEnabled(a.id())) {
                    enabled.add(a);
                }
            }
            return new Analyzers(enabled, limits);
        }
    }
}
