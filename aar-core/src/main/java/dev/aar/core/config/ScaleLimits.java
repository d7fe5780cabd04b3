package dev.aar.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code ScaleLimits} section: how big a project may be and when it needs approval.
 *
 * @param maxUploadSizeMb largest accepted archive, in MiB ({@code MaxUploadSizeMb})
 * @param maxFilesPerProject most indexable files a project may hold, counted as preflight counts them: excluded
 *        directories, binary and oversized files do not count ({@code MaxFilesPerProject})
 * @param maxFileSizeBytes largest file that is indexed; larger ones are skipped ({@code MaxFileSizeBytes})
 * @param autoApprovalThresholdFiles above this many indexable files a project needs approval
 * @param autoApprovalThresholdTokens above this many estimated tokens a project needs approval
 * @param maxTotalUncompressedBytes most bytes an archive may inflate to ({@code MaxTotalUncompressedBytes})
 * @param maxCompressionRatio highest inflated/compressed ratio accepted for the archive ({@code MaxCompressionRatio})
 * @param excludedDirectories directory names whose subtrees are never indexed ({@code ExcludedDirectories})
 * @param maxArchiveEntries most raw entries (files, directories, links, excluded or not) an archive may hold; guards
 *        the central-directory read, whose memory grows with it ({@code MaxArchiveEntries})
 * @param defaultMonthlyTokenLimit {@code MonthlyTokenLimit} of an organization without a quota row; 0 = unlimited
 *     ({@code DefaultMonthlyTokenLimit})
 * @param defaultMonthlyProjectLimit {@code MonthlyProjectLimit} of an organization without a quota row; 0 = unlimited
 *     ({@code DefaultMonthlyProjectLimit})
 * @param defaultStorageLimitBytes {@code StorageLimitBytes} of an organization without a quota row; 0 = unlimited
 *     ({@code DefaultStorageLimitBytes})
 */
public record ScaleLimits(
        int maxUploadSizeMb,
        int maxFilesPerProject,
        long maxFileSizeBytes,
        int autoApprovalThresholdFiles,
        long autoApprovalThresholdTokens,
        long maxTotalUncompressedBytes,
        int maxCompressionRatio,
        List<String> excludedDirectories,
        int maxArchiveEntries,
        long defaultMonthlyTokenLimit,
        int defaultMonthlyProjectLimit,
        long defaultStorageLimitBytes) {

    public static final String SECTION = "ScaleLimits";
    static final Key K_MAX_UPLOAD_SIZE_MB = Key.whole(SECTION, "MaxUploadSizeMb", 1, 1_048_576);
    static final Key K_MAX_FILES_PER_PROJECT = Key.whole(SECTION, "MaxFilesPerProject", 1, 100_000_000);
    static final Key K_MAX_FILE_SIZE_BYTES = Key.whole(SECTION, "MaxFileSizeBytes", 1, Long.MAX_VALUE);
    static final Key K_AUTO_APPROVAL_THRESHOLD_FILES = Key.whole(SECTION, "AutoApprovalThresholdFiles", 0, Integer.MAX_VALUE);
    static final Key K_AUTO_APPROVAL_THRESHOLD_TOKENS = Key.whole(SECTION, "AutoApprovalThresholdTokens", 0, Long.MAX_VALUE);
    static final Key K_MAX_TOTAL_UNCOMPRESSED_BYTES = Key.whole(SECTION, "MaxTotalUncompressedBytes", 1, Long.MAX_VALUE);
    static final Key K_MAX_COMPRESSION_RATIO = Key.whole(SECTION, "MaxCompressionRatio", 1, 1_000_000);
    // the walk keeps ~40 bytes per entry while it reads the central directory: 10 M entries = 400 MB at most
    static final Key K_MAX_ARCHIVE_ENTRIES = Key.whole(SECTION, "MaxArchiveEntries", 1, 10_000_000);
    // named K_ORG_… so their defaults read DEFAULT_ORG_… rather than DEFAULT_DEFAULT_…
    static final Key K_ORG_MONTHLY_TOKEN_LIMIT = Key.whole(SECTION, "DefaultMonthlyTokenLimit", 0, Long.MAX_VALUE);
    static final Key K_ORG_MONTHLY_PROJECT_LIMIT = Key.whole(SECTION, "DefaultMonthlyProjectLimit", 0, Integer.MAX_VALUE);
    static final Key K_ORG_STORAGE_LIMIT_BYTES = Key.whole(SECTION, "DefaultStorageLimitBytes", 0, Long.MAX_VALUE);
    public static final int DEFAULT_MAX_UPLOAD_SIZE_MB = 500;
    public static final int DEFAULT_MAX_FILES_PER_PROJECT = 50_000;
    public static final long DEFAULT_MAX_FILE_SIZE_BYTES = 10_485_760L;
    public static final int DEFAULT_AUTO_APPROVAL_THRESHOLD_FILES = 1_000;
    public static final long DEFAULT_AUTO_APPROVAL_THRESHOLD_TOKENS = 500_000L;
    public static final long DEFAULT_MAX_TOTAL_UNCOMPRESSED_BYTES = 4L * 1024 * 1024 * 1024;
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
    public static final int DEFAULT_MAX_ARCHIVE_ENTRIES = 1_000_000;
    public static final List<String> DEFAULT_EXCLUDED_DIRECTORIES = List.of(
            "node_modules", ".git", "bin", "obj", ".vs", ".idea", "packages", "dist", "build", "target", "__pycache__");
    /** No default quota: an organization without a row is unlimited (the start-up banner of aar serve says so). */
    public static final long DEFAULT_ORG_MONTHLY_TOKEN_LIMIT = 0;
    public static final int DEFAULT_ORG_MONTHLY_PROJECT_LIMIT = 0;
    public static final long DEFAULT_ORG_STORAGE_LIMIT_BYTES = 0;

    public ScaleLimits {
        K_MAX_UPLOAD_SIZE_MB.check(maxUploadSizeMb);
        K_MAX_FILES_PER_PROJECT.check(maxFilesPerProject);
        K_MAX_FILE_SIZE_BYTES.check(maxFileSizeBytes);
        K_AUTO_APPROVAL_THRESHOLD_FILES.check(autoApprovalThresholdFiles);
        K_AUTO_APPROVAL_THRESHOLD_TOKENS.check(autoApprovalThresholdTokens);
        K_MAX_TOTAL_UNCOMPRESSED_BYTES.check(maxTotalUncompressedBytes);
        K_MAX_COMPRESSION_RATIO.check(maxCompressionRatio);
        K_MAX_ARCHIVE_ENTRIES.check(maxArchiveEntries);
        K_ORG_MONTHLY_TOKEN_LIMIT.check(defaultMonthlyTokenLimit);
        K_ORG_MONTHLY_PROJECT_LIMIT.check(defaultMonthlyProjectLimit);
        K_ORG_STORAGE_LIMIT_BYTES.check(defaultStorageLimitBytes);
        Objects.requireNonNull(excludedDirectories, "excludedDirectories");
        for (String dir : excludedDirectories) {
            if (dir == null || dir.isBlank() || dir.contains("/") || dir.contains("\\")) {
                throw Check.outOfRange(SECTION + ".ExcludedDirectories", String.valueOf(dir),
                        "single directory names without '/' or '\\'");
            }
        }
        excludedDirectories = List.copyOf(excludedDirectories);
    }

    /** Returns the spec's defaults. */
    public static ScaleLimits defaults() {
        return builder().build();
    }

    /** Returns {@link #maxUploadSizeMb()} in bytes. */
    public long maxUploadSizeBytes() {
        return maxUploadSizeMb * 1024L * 1024L;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxUploadSizeMb(maxUploadSizeMb).maxFilesPerProject(maxFilesPerProject)
                .maxFileSizeBytes(maxFileSizeBytes).autoApprovalThresholdFiles(autoApprovalThresholdFiles)
                .autoApprovalThresholdTokens(autoApprovalThresholdTokens)
                .maxTotalUncompressedBytes(maxTotalUncompressedBytes).maxCompressionRatio(maxCompressionRatio)
                .excludedDirectories(excludedDirectories).maxArchiveEntries(maxArchiveEntries)
                .defaultMonthlyTokenLimit(defaultMonthlyTokenLimit)
                .defaultMonthlyProjectLimit(defaultMonthlyProjectLimit).defaultStorageLimitBytes(defaultStorageLimitBytes);
    }

    /** Returns whether none of the three default quota limits is set: organizations without a row are unlimited. */
    public boolean defaultQuotaUnlimited() {
        return defaultMonthlyTokenLimit == 0 && defaultMonthlyProjectLimit == 0 && defaultStorageLimitBytes == 0;
    }

    /** Builds a {@link ScaleLimits}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private int maxUploadSizeMb = DEFAULT_MAX_UPLOAD_SIZE_MB;
        private int maxFilesPerProject = DEFAULT_MAX_FILES_PER_PROJECT;
        private long maxFileSizeBytes = DEFAULT_MAX_FILE_SIZE_BYTES;
        private int autoApprovalThresholdFiles = DEFAULT_AUTO_APPROVAL_THRESHOLD_FILES;
        private long autoApprovalThresholdTokens = DEFAULT_AUTO_APPROVAL_THRESHOLD_TOKENS;
        private long maxTotalUncompressedBytes = DEFAULT_MAX_TOTAL_UNCOMPRESSED_BYTES;
        private int maxCompressionRatio = DEFAULT_MAX_COMPRESSION_RATIO;
        private List<String> excludedDirectories = DEFAULT_EXCLUDED_DIRECTORIES;
        private int maxArchiveEntries = DEFAULT_MAX_ARCHIVE_ENTRIES;
        private long defaultMonthlyTokenLimit = DEFAULT_ORG_MONTHLY_TOKEN_LIMIT;
        private int defaultMonthlyProjectLimit = DEFAULT_ORG_MONTHLY_PROJECT_LIMIT;
        private long defaultStorageLimitBytes = DEFAULT_ORG_STORAGE_LIMIT_BYTES;

        private Builder() {
        }

        public Builder maxUploadSizeMb(int v) { this.maxUploadSizeMb = v; return this; }
        public Builder maxFilesPerProject(int v) { this.maxFilesPerProject = v; return this; }
        public Builder maxFileSizeBytes(long v) { this.maxFileSizeBytes = v; return this; }
        public Builder autoApprovalThresholdFiles(int v) { this.autoApprovalThresholdFiles = v; return this; }
        public Builder autoApprovalThresholdTokens(long v) { this.autoApprovalThresholdTokens = v; return this; }
        public Builder maxTotalUncompressedBytes(long v) { this.maxTotalUncompressedBytes = v; return this; }
        public Builder maxCompressionRatio(int v) { this.maxCompressionRatio = v; return this; }
        public Builder excludedDirectories(List<String> v) { this.excludedDirectories = v; return this; }
        public Builder maxArchiveEntries(int v) { this.maxArchiveEntries = v; return this; }
        public Builder defaultMonthlyTokenLimit(long v) { this.defaultMonthlyTokenLimit = v; return this; }
        public Builder defaultMonthlyProjectLimit(int v) { this.defaultMonthlyProjectLimit = v; return this; }
        public Builder defaultStorageLimitBytes(long v) { this.defaultStorageLimitBytes = v; return this; }

        public ScaleLimits build() {
            return new ScaleLimits(maxUploadSizeMb, maxFilesPerProject, maxFileSizeBytes,
                    autoApprovalThresholdFiles, autoApprovalThresholdTokens, maxTotalUncompressedBytes,
                    maxCompressionRatio, excludedDirectories, maxArchiveEntries, defaultMonthlyTokenLimit,
                    defaultMonthlyProjectLimit, defaultStorageLimitBytes);
        }
    }
}
