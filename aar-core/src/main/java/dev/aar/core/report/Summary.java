package dev.aar.core.report;

import dev.aar.core.event.Finding;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of a report's findings.
 *
 * @param total all findings
 * @param critical findings of severity Critical
 * @param high findings of severity High
 * @param medium findings of severity Medium
 * @param low findings of severity Low
 * @param info findings of severity Info
 * @param byRule findings per rule id, sorted by rule
 */
public record Summary(int total, int critical, int high, int medium, int low, int info, Map<String, Integer> byRule) {

    public Summary {
        byRule = java.util.Collections.unmodifiableMap(new TreeMap<>(byRule));
    }

    /** Counts {@code findings}. */
    public static Summary of(List<Finding> findings) {
        int[] counts = new int[5];
        Map<String, Integer> byRule = new TreeMap<>();
        for (Finding f : findings) {
            counts[f.severity().ordinal()]++;
            byRule.merge(f.rule(), 1, Integer::sum);
        }
        return new Summary(findings.size(), counts[0], counts[1], counts[2], counts[3], counts[4], byRule);
    }
}
