package dev.aar.jdbc;

import java.util.List;

/**
 * One schema migration this build ships, with what its undo script removes.
 *
 * @param version the migration's version ({@code V<version>__…})
 * @param description its description, from the file name ("finished jobs index")
 * @param undo what undoing it does, from the first comment of its undo script (may be empty)
 * @param undoDrops the objects its undo script drops, as {@code "table jobs"} or {@code "index jobs_finished"}
 */
public record SchemaMigration(int version, String description, String undo, List<String> undoDrops) {

    public SchemaMigration {
        undoDrops = List.copyOf(undoDrops);
    }
}
