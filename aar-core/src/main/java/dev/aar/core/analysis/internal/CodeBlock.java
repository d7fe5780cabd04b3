package dev.aar.core.analysis.internal;

/**
 * A class-like or function-like block found in a source file.
 *
 * @param kind what it is
 * @param name its name
 * @param startLine the 1-based line of its header
 * @param endLine the 1-based line where it ends
 * @param nesting for functions: how deep blocks inside it nest (1 = an {@code if} in its body); else 0
 * @param deepestLine for functions: a line at the deepest nesting; else the start line
 */
public record CodeBlock(Kind kind, String name, int startLine, int endLine, int nesting, int deepestLine) {

    /** The kinds of block hotspots measure. */
    public enum Kind {
        /** A class, interface, enum, record, struct, trait or object. */
        CLASS,
        /** A function, method or constructor. */
        FUNCTION
    }

    /** Returns the number of lines from header to end, inclusive. */
    public int lines() {
        return endLine - startLine + 1;
    }
}
