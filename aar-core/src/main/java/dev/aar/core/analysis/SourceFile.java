package dev.aar.core.analysis;

/** One indexable file of a project as an analyzer sees it. */
public interface SourceFile {

    /** Returns the path within the project, '/'-separated, without a leading '/'. */
    String path();

    /** Returns the file's language. */
    Language language();

    /** Returns the size in bytes. */
    long sizeBytes();

    /**
     * Returns the file's text, decoded as UTF-8 with malformed bytes replaced; loaded on first call.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    String text();
}
