/**
 * Projects: an uploaded archive that can be preflighted, approved and analysed, and the
 * {@link dev.aar.core.project.ProjectStore} that records them.
 */
@NullMarked
package dev.aar.core.project;

import org.jspecify.annotations.NullMarked;
