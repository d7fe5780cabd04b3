package dev.aar.core.analysis.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Tarjan's strongly-connected-components algorithm, iterative so that deep graphs cannot
 * overflow the stack.
 */
final class StronglyConnected {

    private StronglyConnected() {
    }

    /**
     * Returns the components of more than one node, each sorted, ordered by their first node.
     *
     * @param nodes every node
     * @param successors the nodes each node points at
     */
    static List<List<String>> components(Set<String> nodes, Function<String, Set<String>> successors) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<List<String>> result = new ArrayList<>();
        int[] counter = {0};

        for (String root : nodes) {
            if (index.containsKey(root)) {
                continue;
            }
            // each frame: the node and an iterator over its successors
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            visit(root, index, low, stack, onStack, counter);
            work.push(Map.entry(root, successors.apply(root).iterator()));
            while (!work.isEmpty()) {
                Map.Entry<String, java.util.Iterator<String>> frame = work.peek();
                String v = frame.getKey();
                java.util.Iterator<String> it = frame.getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        visit(w, index, low, stack, onStack, counter);
                        work.push(Map.entry(w, successors.apply(w).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    TreeSet<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) {
                        result.add(List.copyOf(component));
                    }
                }
            }
        }
        result.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return result;
    }

    private static void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
    }

    /**
     * Returns a shortest cycle through {@code start} that stays inside {@code component}, as the
     * list of nodes from {@code start} back to {@code start}.
     */
    static List<String> shortestCycle(String start, Set<String> component, Function<String, Set<String>> successors) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String next : successors.apply(start)) {
            if (component.contains(next) && !previous.containsKey(next)) {
                previous.put(next, start);
                queue.add(next);
            }
        }
        while (!queue.isEmpty()) {
            String v = queue.poll();
            if (v.equals(start)) {
                break;
            }
            for (String next : successors.apply(v)) {
                if (component.contains(next) && !previous.containsKey(next)) {
                    previous.put(next, v);
                    queue.add(next);
                }
            }
        }
        List<String> path = new ArrayList<>();
        path.add(start);
        for (String v = previous.get(start); v != null && !v.equals(start); v = previous.get(v)) {
            path.add(v);
        }
        path.add(start);
        java.util.Collections.reverse(path);
        return path;
    }
}
