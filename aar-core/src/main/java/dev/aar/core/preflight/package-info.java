/**
 * Preflight: what an archive would cost before any work is queued
 * ({@link dev.aar.core.preflight.PreflightService}), and approval of the large ones
 * ({@link dev.aar.core.preflight.ApprovalService}).
 */
@NullMarked
package dev.aar.core.preflight;

import org.jspecify.annotations.NullMarked;
