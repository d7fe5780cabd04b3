package dev.aar.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over dotted module names (Java/Kotlin packages, C# namespaces, Python packages, and
 * JavaScript/TypeScript directories written with dots), in the syntax ArchUnit and AspectJ use.
 *
 * <ul>
 *   <li>A module name is a list of segments separated by '.'.</li>
 *   <li>A pattern is a list of tokens separated by '.'; {@code ..} between tokens, or at either end,
 *       matches any number of whole segments, including none.</li>
 *   <li>{@code *} inside a token matches any run of characters within one segment; any other
 *       character matches itself, case-sensitively.</li>
 *   <li>The whole module name must match: {@code *.domain..} matches {@code shop.domain} and
 *       {@code shop.domain.model}, not {@code com.shop.domain}; write {@code ..domain..} for "a
 *       {@code domain} segment anywhere".</li>
 * </ul>
 */
public final class ModulePattern {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_$*\\-]+");

    private final String source;
    /** null stands for "any number of segments". */
    private final List<Pattern> tokens;

    private ModulePattern(String source, List<Pattern> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    /**
     * Parses {@code pattern}.
     *
     * @throws IllegalArgumentException naming the pattern and what is wrong with it
     */
    public static ModulePattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        String p = pattern.strip();
        if (p.isEmpty() || p.contains("...")) {
            throw new IllegalArgumentException("module pattern '" + pattern + "' is empty or contains '...'");
        }
        List<Pattern> tokens = new ArrayList<>();
        String[] parts = p.replace("..", ".\u0000.").split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals("\u0000")) {
                if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != null) {
                    tokens.add(null);
                }
            } else if (part.isEmpty()) {
                // the empty text either side of a ".." marker at the start or end of the pattern
                boolean besideMarker = (i + 1 < parts.length && parts[i + 1].equals("\u0000"))
                        || (i > 0 && parts[i - 1].equals("\u0000"));
                if (!besideMarker) {
                    throw new IllegalArgumentException("module pattern '" + pattern + "' has an empty segment");
                }
            } else if (!TOKEN.matcher(part).matches()) {
                throw new IllegalArgumentException("module pattern '" + pattern + "' has segment '" + part
                        + "'; allowed: letters, digits, '_', '$', '-', and '*' as a wildcard");
            } else {
                tokens.add(Pattern.compile(Pattern.quote(part).replace("*", "\\E[^.]*\\Q")));
            }
        }
        return new ModulePattern(p, java.util.Collections.unmodifiableList(tokens));
    }

    /** Returns whether the dotted module name {@code module} matches. */
    public boolean matches(String module) {
        String[] segments = module.isEmpty() ? new String[0] : module.split("\\.");
        return match(segments, 0, 0);
    }

    private boolean match(String[] segments, int s, int t) {
        if (t == tokens.size()) {
            return s == segments.length;
        }
        Pattern token = tokens.get(t);
        if (token == null) {
            for (int skip = s; skip <= segments.length; skip++) {
                if (match(segments, skip, t + 1)) {
                    return true;
                }
            }
            return false;
        }
        return s < segments.length && token.matcher(segments[s]).matches() && match(segments, s + 1, t + 1);
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModulePattern other && other.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
