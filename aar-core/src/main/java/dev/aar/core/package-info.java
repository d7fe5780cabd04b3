/**
 * The SDK's entry point, {@link dev.aar.core.Aar}, and its exception hierarchy rooted at
 * {@link dev.aar.core.AarException}.
 */
package dev.aar.core;
