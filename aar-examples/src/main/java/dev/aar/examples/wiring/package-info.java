/**
 * Chooses the backends from configuration, so the CLI and the server switch to PostgreSQL, Azure
 * Blob Storage or OpenAI by setting {@code AAR_DATABASE_URL}, {@code AZURE_STORAGE_CONNECTION_STRING}
 * or {@code AZURE_OPENAI_*} / {@code OPENAI_*}, with no code change.
 */
package dev.aar.examples.wiring;
