/**
 * Report rendering: the JSON, HTML and Markdown renderers behind {@link dev.aar.core.report.ReportFormat},
 * the writer of a report's three files, and their helpers. Internal: may change at any time without notice.
 */
package dev.aar.core.report.internal;
