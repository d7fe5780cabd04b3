/**
 * The analysis pipeline end to end: projects from uploads, preflight and approval, queueing with a
 * priority, and the job that runs Extracting → Indexing → Analyzing → Saving with checkpoints.
 * {@link dev.aar.core.pipeline.AnalysisService} is what a host calls; {@code Aar.analysis()} wires it.
 */
@NullMarked
package dev.aar.core.pipeline;

import org.jspecify.annotations.NullMarked;
