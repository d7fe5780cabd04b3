/**
 * The Analyzer SPI and the built-in architecture rules.
 *
 * <p>An {@link dev.aar.core.analysis.Analyzer} reads a {@link dev.aar.core.analysis.ProjectView}
 * and emits {@link dev.aar.core.event.Finding}s through a {@link dev.aar.core.analysis.FindingSink}
 * as it goes. Analyzers are registered explicitly in {@link dev.aar.core.analysis.Analyzers} and run
 * in order by an {@link dev.aar.core.analysis.AnalysisRunner}, which skips analyzers a resumed job
 * already finished and turns a crashing analyzer into a finding instead of a failed job.
 */
@NullMarked
package dev.aar.core.analysis;

import org.jspecify.annotations.NullMarked;
