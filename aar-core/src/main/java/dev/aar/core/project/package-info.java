/**
 * Projects: an uploaded archive that can be preflighted, approved and analysed, and the
 * {@link dev.aar.core.project.ProjectStore} that records them.
 */
package dev.aar.core.project;
