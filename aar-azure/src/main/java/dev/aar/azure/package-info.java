/**
 * Azure Blob Storage {@code BlobStore} ({@link dev.aar.azure.AzureBlobStore}: parts are staged blocks,
 * finalize is one block-list commit) and the OpenAI / Azure OpenAI {@code EmbeddingProvider}
 * ({@link dev.aar.azure.OpenAiEmbeddingProvider}). Neither retries on its own: the SDK's resilience
 * pipelines wrap them. See {@code docs/azure.md}. Also the optional analyzer
 * {@link dev.aar.azure.LlmReviewer}, an architecture review by a chat model over retrieved code.
 */
@NullMarked
package dev.aar.azure;

import org.jspecify.annotations.NullMarked;
