/**
 * The result of an analysis job: the {@link dev.aar.core.report.Report} record, its JSON, HTML and
 * Markdown renderings ({@link dev.aar.core.report.ReportFormat}), and where reports are kept
 * ({@link dev.aar.core.report.ReportStore}).
 */
@NullMarked
package dev.aar.core.report;

import org.jspecify.annotations.NullMarked;
