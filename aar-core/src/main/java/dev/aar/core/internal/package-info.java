/**
 * Small helpers shared by several packages of aar-core (file trees, digests). Internal: these
 * classes may change at any time; they use nothing but the JDK, so any package may use them
 * without creating a package cycle.
 */
package dev.aar.core.internal;
