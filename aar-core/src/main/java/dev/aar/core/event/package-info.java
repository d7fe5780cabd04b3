/**
 * What the pipeline tells the outside world as it runs: the spec's {@code ProgressUpdate},
 * {@code FindingUpdate} and {@code JobCompleted} events plus job lifecycle events, and the
 * {@link dev.aar.core.event.ProgressListener} that receives them.
 */
@NullMarked
package dev.aar.core.event;

import org.jspecify.annotations.NullMarked;
