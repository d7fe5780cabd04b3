package dev.aar.core.report;

class InMemoryReportStoreTest extends ReportStoreContractTest {

    @Override
    protected ReportStore createStore() {
        return new InMemoryReportStore();
    }
}
