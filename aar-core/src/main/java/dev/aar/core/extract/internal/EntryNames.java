package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a raw entry name into a safe relative path or refuses the archive.
 *
 * <p>Refused, as {@code PATH_TRAVERSAL}: '\' anywhere, a leading '/', a drive letter, a '..'
 * segment anywhere (even one that would stay inside). Refused as {@code BAD_ENTRY_NAME}: empty names,
 * more than {@value #MAX_NAME_BYTES} bytes, more than {@value #MAX_DEPTH} segments, NUL or other
 * control characters, invalid UTF-8 under the UTF-8 flag. '.' and empty segments are dropped.
 */
public final class EntryNames {

    /** Longest accepted raw name, in bytes. */
    public static final int MAX_NAME_BYTES = 1024;
    /** Most path segments accepted. */
    public static final int MAX_DEPTH = 64;

    private EntryNames() {
    }

    /** Decodes, validates and normalises {@code raw}; {@code utf8} is general-purpose flag bit 11. */
    public static EntryPath parse(byte[] raw, boolean utf8) {
        // printable(raw) is built only for a message: every name of an archive passes through here
        if (raw.length == 0) {
            throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, "", "an entry has an empty name");
        }
        if (raw.length > MAX_NAME_BYTES) {
            throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, printable(raw),
                    "entry name is " + raw.length + " bytes long; at most " + MAX_NAME_BYTES + " are accepted");
        }
        for (byte b : raw) {
            if ((b & 0xff) < 0x20 || b == 0x7f) {
                throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, printable(raw),
                        "entry name '" + printable(raw) + "' holds a NUL or control character");
            }
        }
        String name = utf8 ? utf8(raw) : Cp437.decode(raw);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80 && c <= 0x9f) {
                throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, printable(raw),
                        "entry name '" + printable(raw) + "' holds a control character");
            }
        }
        if (name.indexOf('\\') >= 0) {
            throw traversal(name, "uses '\\' as a separator");
        }
        if (name.startsWith("/")) {
            throw traversal(name, "is an absolute path");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && isAsciiLetter(name.charAt(0))) {
            throw traversal(name, "starts with a drive letter");
        }
        boolean directory = name.endsWith("/");
        StringBuilder path = new StringBuilder(name.length());
        int depth = 0;
        int start = 0;
        while (start <= name.length()) {
            int slash = name.indexOf('/', start);
            int end = slash < 0 ? name.length() : slash;
            String segment = name.substring(start, end);
            if (segment.equals("..")) {
                throw traversal(name, "has a '..' segment");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                if (++depth > MAX_DEPTH) {
                    throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, name,
                            "entry '" + name + "' is more than " + MAX_DEPTH + " directories deep");
                }
                if (path.length() > 0) {
                    path.append('/');
                }
                path.append(segment);
            }
            start = end + 1;
        }
        if (path.length() == 0 && !directory) {
            throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, name, "entry '" + name + "' names no file");
        }
        String p = path.toString();
        return new EntryPath(p, directory, hash(p));
    }

    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            String shown = printable(raw);
            throw new ArchiveRejectedException(Reason.BAD_ENTRY_NAME, shown,
                    "entry name '" + shown + "' is flagged UTF-8 but is not valid UTF-8");
        }
    }

    private static ArchiveRejectedException traversal(String name, String why) {
        return new ArchiveRejectedException(Reason.PATH_TRAVERSAL, name,
                "entry '" + name + "' " + why + "; it could be written outside the target directory");
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A 64-bit FNV-1a hash of the path's characters; collisions only ever hide the colliding entry. */
    public static long hash(String path) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            h ^= path.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Renders a raw name for messages: ASCII kept, other bytes as \xNN, at most 200 characters. */
    static String printable(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length && sb.length() < 200; i++) {
            int b = raw[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (sb.length() >= 200) {
            sb.append("...");
        }
        return sb.toString();
    }
}
