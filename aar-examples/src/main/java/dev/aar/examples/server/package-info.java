/**
 * The quick-start server: the spec's REST API under {@code /api/v1}, server-sent events at
 * {@code /hubs/analysis}, health checks, Prometheus metrics and a web page, on Javalin.
 */
package dev.aar.examples.server;
