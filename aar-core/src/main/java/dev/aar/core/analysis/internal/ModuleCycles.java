package dev.aar.core.analysis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Finds the cycles of an {@link ImportGraph}: one per strongly connected component. */
public final class ModuleCycles {

    /**
     * One tangle of modules.
     *
     * @param members every module of the strongly connected component, sorted
     * @param path a shortest cycle through the first member, starting and ending with it
     */
    public record Cycle(List<String> members, List<String> path) {
    }

    private ModuleCycles() {
    }

    /** Returns the strongly connected components of more than one node, each sorted, ordered by first node. */
    public static List<List<String>> components(Set<String> nodes, Function<String, Set<String>> successors) {
        return StronglyConnected.components(nodes, successors);
    }

    /** Returns the cycles of {@code graph}, ordered by their first module. */
    public static List<Cycle> find(ImportGraph graph) {
        Function<String, Set<String>> successors = m -> graph.dependenciesOf(m).keySet();
        List<Cycle> cycles = new ArrayList<>();
        for (List<String> component : StronglyConnected.components(graph.modules(), successors)) {
            List<String> path = StronglyConnected.shortestCycle(component.get(0), Set.copyOf(component), successors);
            cycles.add(new Cycle(component, path));
        }
        return cycles;
    }
}
