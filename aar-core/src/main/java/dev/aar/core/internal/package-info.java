/**
 * Small helpers shared by several packages of aar-core (file trees, digests, JSON). Internal: these
 * classes may change at any time; they use no other package of aar-core, so any package may use them
 * without creating a package cycle.
 */
package dev.aar.core.internal;
