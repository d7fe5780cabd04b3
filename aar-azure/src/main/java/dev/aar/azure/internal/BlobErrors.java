package dev.aar.azure.internal;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns Azure SDK failures into the {@link UncheckedIOException} the BlobStore SPI promises.
 *
 * <p>Messages are built from the HTTP status and Azure's error code only: the SDK's own messages
 * can carry request URLs, and a SAS connection string puts its signature in every URL.
 */
public final class BlobErrors {

    private BlobErrors() {
    }

    /** Returns whether {@code e} says the blob (or its container) does not exist. */
    public static boolean isNotFound(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        return e.getStatusCode() == 404 || BlobErrorCode.BLOB_NOT_FOUND.equals(code)
                || BlobErrorCode.CONTAINER_NOT_FOUND.equals(code);
    }

    /** Returns whether {@code e} is Azure refusing a block list that names a block it does not hold. */
    public static boolean isInvalidBlockList(BlobStorageException e) {
        return BlobErrorCode.INVALID_BLOCK_LIST.equals(e.getErrorCode());
    }

    /** Wraps {@code e}, raised while doing {@code what}, with a message that says what failed and why. */
    public static UncheckedIOException failure(String what, RuntimeException e) {
        IOException cause = new IOException(describe(e), e);
        return new UncheckedIOException(what + ": " + cause.getMessage(), cause);
    }

    /** Returns a failure of this store's own making (no SDK exception behind it). */
    public static UncheckedIOException failure(String message) {
        return new UncheckedIOException(message, new IOException(message));
    }

    static String describe(RuntimeException e) {
        if (e instanceof BlobStorageException bse) {
            String code = bse.getErrorCode() == null ? "no error code" : bse.getErrorCode().toString();
            String text = "Azure Blob Storage answered HTTP " + bse.getStatusCode() + " (" + code + ")";
            if (bse.getStatusCode() == 403) {
                text += "; check the account key or SAS in the storage connection string"
                        + " (AZURE_STORAGE_CONNECTION_STRING) and the clock of this machine";
            }
            return text;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? "" : ": " + root.getMessage();
        return "no usable answer from Azure Blob Storage (" + root.getClass().getSimpleName() + detail + ")";
    }
}
