package dev.aar.core.analysis.internal;

import java.util.List;

/**
 * A source file's own module and its imports as written, before resolution.
 *
 * @param file the file's path
 * @param module the dotted module the file belongs to
 * @param imports the raw imports
 */
record ParsedFile(String file, String module, List<RawImport> imports) {

    /**
     * An import as written.
     *
     * @param target dotted name imported
     * @param line 1-based line
     * @param exact whether {@code target} names a module exactly (relative imports) rather than a
     *     name to resolve by longest known prefix
     */
    record RawImport(String target, int line, boolean exact) {
    }
}
