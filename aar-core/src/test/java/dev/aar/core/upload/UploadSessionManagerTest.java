package dev.aar.core.upload;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobStore;

/** Uploads straight onto the file system store. */
class UploadSessionManagerTest extends FileSystemUploadSessionManagerContract {

    @Override
    BlobStore decorate(FileSystemBlobStore fs) {
        return fs;
    }
}
