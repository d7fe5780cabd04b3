/**
 * Safe streaming extraction of uploaded ZIP archives: {@link dev.aar.core.extract.StreamingZipExtractor}
 * and the {@link dev.aar.core.extract.IndexableFileRule} shared by preflight, extraction and indexing.
 */
@NullMarked
package dev.aar.core.extract;

import org.jspecify.annotations.NullMarked;
