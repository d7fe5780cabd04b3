package dev.aar.storage;

/** The rules every {@link BlobStore} key obeys, so no backend can be steered outside its root. */
public final class BlobKey {

    /** Longest key accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private BlobKey() {
    }

    /**
     * Returns {@code key} if it is a valid blob key, otherwise throws.
     *
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("blob key must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("blob key longer than " + MAX_LENGTH + " characters");
        }
        if (key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("blob key must not start or end with '/': " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("blob key has an empty, '.' or '..' segment: " + key);
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '_' || c == '-';
                if (!ok) {
                    throw new IllegalArgumentException(
                            "blob key may hold only letters, digits, '.', '_', '-' and '/': " + key);
                }
            }
        }
        return key;
    }

    /** Validates a multipart upload id: one key segment. */
    public static String validateUploadId(String uploadId) {
        validate(uploadId);
        if (uploadId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("upload id must not contain '/': " + uploadId);
        }
        return uploadId;
    }
}
