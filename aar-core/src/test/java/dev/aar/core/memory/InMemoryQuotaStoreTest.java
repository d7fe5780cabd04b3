package dev.aar.core.memory;

import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaStoreContract;

class InMemoryQuotaStoreTest extends QuotaStoreContract {

    @Override
    protected QuotaStore newStore() {
        return new InMemoryQuotaStore();
    }
}
