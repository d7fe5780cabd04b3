/** Azure Blob Storage {@code BlobStore} and OpenAI / Azure OpenAI {@code EmbeddingProvider}. */
package dev.aar.azure;
