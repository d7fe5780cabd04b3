package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Computes an {@link Inventory} in one pass over a project's files, within the run's {@link AnalysisGuard}. */
public final class InventoryScanner {

    private InventoryScanner() {
    }

    /** Returns the inventory of {@code project}. */
    public static Inventory scan(ProjectView project) {
        Map<Language, long[]> perLanguage = new EnumMap<>(Language.class); // {files, lines}
        List<Inventory.BuildManifest> manifests = new ArrayList<>();
        int totalFiles = 0;
        long totalLines = 0;
        int sourceFiles = 0;
        int testFiles = 0;
        long sourceLines = 0;
        long testLines = 0;
        AnalysisGuard guard = AnalysisGuard.of(project);
        for (SourceFile f : project.files()) {
            int[] lineCount = {0};
            Inventory.BuildManifest[] manifestOf = {null};
            boolean done = guard.file(f, work -> {
                String text = f.text();
                lineCount[0] = LineCounter.lines(text, work);
                manifestOf[0] = ManifestParser.parse(f.path(), text, work);
            });
            if (!done) {
                continue; // reported by the guard; a file left out of the analysis is left out of its counts
            }
            int lines = lineCount[0];
            totalFiles++;
            totalLines += lines;
            long[] stats = perLanguage.computeIfAbsent(f.language(), l -> new long[2]);
            stats[0]++;
            stats[1] += lines;
            Inventory.BuildManifest manifest = manifestOf[0];
            if (manifest != null) {
                manifests.add(manifest); // build scripts (build.gradle.kts) are not application code
            } else if (f.language().isCode()) {
                if (PathKinds.isTest(f.path())) {
                    testFiles++;
                    testLines += lines;
                } else {
                    sourceFiles++;
                    sourceLines += lines;
                }
            }
        }
        List<Inventory.LanguageStats> languages = new ArrayList<>();
        perLanguage.forEach((l, s) -> languages.add(new Inventory.LanguageStats(l.displayName(), (int) s[0], s[1])));
        languages.sort(Comparator.comparingLong(Inventory.LanguageStats::lines).reversed()
                .thenComparing(Inventory.LanguageStats::language));
        double ratio = sourceLines == 0 ? 0.0 : Math.round(testLines * 1000.0 / sourceLines) / 1000.0;
        return new Inventory(totalFiles, totalLines, languages, manifests, sourceFiles, testFiles, sourceLines,
                testLines, ratio);
    }
}
