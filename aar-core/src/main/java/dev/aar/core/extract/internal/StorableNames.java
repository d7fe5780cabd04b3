package dev.aar.core.extract.internal;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.util.Locale;
import java.util.Set;

/**
 * Decides from an entry's name alone whether a file system can hold it, so that preflight and
 * extraction skip the same entries instead of a write failing half-way through a job.
 *
 * <p>Applied on every platform: no path segment over {@value #MAX_SEGMENT_BYTES} UTF-8 bytes (the
 * limit of ext4, XFS, Btrfs, APFS and NTFS alike). Applied where the platform has the rule: the
 * characters the default file system's path parser refuses (on Windows {@code <>:"|?*} and trailing
 * spaces), and on Windows the reserved device names ({@code CON}, {@code NUL}, {@code COM1}, …) and
 * segments ending in a dot. Whatever this misses is caught when the file is created.
 */
public final class StorableNames {

    /** Longest path segment (file or directory name) accepted, in UTF-8 bytes. */
    public static final int MAX_SEGMENT_BYTES = 255;

    private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private static final FileSystem FS = FileSystems.getDefault();
    private static final boolean WINDOWS = FS.getSeparator().equals("\\");

    private StorableNames() {
    }

    /** Returns why the default file system cannot hold {@code path}, or null when it can. */
    public static String refusal(String path) {
        return refusal(path, WINDOWS, FS);
    }

    /**
     * Returns why a file system cannot hold {@code path}, or null when it can.
     *
     * @param path a normalised '/'-separated relative path
     * @param windows whether Windows naming rules apply
     * @param fs the file system whose path parser judges the characters, or null to skip that check
     */
    static String refusal(String path, boolean windows, FileSystem fs) {
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            int bytes = utf8Length(segment);
            if (bytes > MAX_SEGMENT_BYTES) {
                return "a path segment is " + bytes + " bytes long; file systems hold at most " + MAX_SEGMENT_BYTES;
            }
            if (windows) {
                String why = windowsRefusal(segment);
                if (why != null) {
                    return why;
                }
            }
            start = end + 1;
        }
        if (fs != null) {
            try {
                fs.getPath(path);
            } catch (InvalidPathException e) {
                return "the file system refuses a character of the name (" + e.getReason() + ")";
            }
        }
        return null;
    }

    private static String windowsRefusal(String segment) {
        if (segment.endsWith(".") || segment.endsWith(" ")) {
            return "a path segment ends with a dot or a space, which Windows drops";
        }
        int dot = segment.indexOf('.');
        String base = (dot < 0 ? segment : segment.substring(0, dot)).trim().toUpperCase(Locale.ROOT);
        if (WINDOWS_DEVICES.contains(base)) {
            return "a path segment is the reserved Windows device name " + base;
        }
        return null;
    }

    /** Returns the length of {@code s} in UTF-8 bytes, without allocating: every name of an archive passes through here. */
    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
