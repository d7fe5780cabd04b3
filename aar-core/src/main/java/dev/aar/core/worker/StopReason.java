package dev.aar.core.worker;

/** Why a running job was told to stop. */
enum StopReason {
    /** Someone cancelled the job; it ends as cancelled. */
    CANCELLED("cancelled"),
    /** The lease lapsed or was taken over; another worker owns the job now. */
    LEASE_LOST("its lease was lost; another worker may run it"),
    /** The pool is shutting down; the lease was released for another worker. */
    SHUTDOWN("the worker pool is shutting down");

    final String description;

    StopReason(String description) {
        this.description = description;
    }
}
