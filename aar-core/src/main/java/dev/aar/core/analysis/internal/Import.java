package dev.aar.core.analysis.internal;

/**
 * One import statement, resolved to modules.
 *
 * @param from the importing file's module
 * @param to the imported module: a project module when {@code internal}, else the best guess at the
 *     external package or namespace
 * @param internal whether {@code to} is a module of the project
 * @param file the importing file
 * @param line the import's 1-based line
 */
public record Import(String from, String to, boolean internal, String file, int line) {
}
