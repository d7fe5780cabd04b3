/**
 * Organization quotas (the spec's {@code OrganizationQuotas}): monthly tokens, monthly projects and
 * storage bytes, reserved before use so concurrent callers never overspend.
 * {@link dev.aar.core.quota.QuotaService} does the accounting over a
 * {@link dev.aar.core.quota.QuotaStore}; every store passes {@code QuotaStoreContract} from
 * aar-core's test-jar.
 */
@NullMarked
package dev.aar.core.quota;

import org.jspecify.annotations.NullMarked;
