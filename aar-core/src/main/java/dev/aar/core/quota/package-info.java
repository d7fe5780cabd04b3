/**
 * Organization quotas (the spec's {@code OrganizationQuotas}): monthly tokens, monthly projects and
 * storage bytes, reserved before use so concurrent callers never overspend.
 */
package dev.aar.core.quota;
