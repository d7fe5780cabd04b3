/** Report rendering helpers. Internal: may change at any time without notice. */
package dev.aar.core.report.internal;
