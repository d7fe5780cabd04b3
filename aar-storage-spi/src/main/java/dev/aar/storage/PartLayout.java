package dev.aar.storage;

/**
 * How a file of {@code totalSize} bytes is cut into parts: every part has {@code partSize} bytes but
 * the last, which holds the rest. Part {@code n} (1-based) starts at byte {@code (n - 1) × partSize}.
 *
 * @param totalSize the whole file's length in bytes, at least 1
 * @param partSize the length of every part but the last, at least 1
 */
public record PartLayout(long totalSize, long partSize) {

    public PartLayout {
        if (totalSize < 1) {
            throw new IllegalArgumentException("totalSize must be >= 1, was " + totalSize);
        }
        if (partSize < 1) {
            throw new IllegalArgumentException("partSize must be >= 1, was " + partSize);
        }
        long parts = (totalSize - 1) / partSize + 1;
        if (parts > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(totalSize + " bytes in parts of " + partSize + " make " + parts
                    + " parts, more than " + Integer.MAX_VALUE);
        }
    }

    /** Returns how many parts make the file. */
    public int partCount() {
        return (int) ((totalSize - 1) / partSize + 1);
    }

    /**
     * Returns the offset of part {@code partNumber} in the file.
     *
     * @throws IllegalArgumentException if the file has no such part
     */
    public long offsetOf(int partNumber) {
        requirePart(partNumber);
        return (partNumber - 1) * partSize;
    }

    /**
     * Returns the exact length of part {@code partNumber}.
     *
     * @throws IllegalArgumentException if the file has no such part
     */
    public long sizeOf(int partNumber) {
        requirePart(partNumber);
        return partNumber < partCount() ? partSize : totalSize - (partNumber - 1) * partSize;
    }

    private void requirePart(int partNumber) {
        if (partNumber < 1 || partNumber > partCount()) {
            throw new IllegalArgumentException("part " + partNumber + " is outside 1.." + partCount() + " of " + this);
        }
    }
}
