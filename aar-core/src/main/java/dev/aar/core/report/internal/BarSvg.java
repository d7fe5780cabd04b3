package dev.aar.core.report.internal;

import static dev.aar.core.report.internal.Text.html;

import dev.aar.core.event.Severity;
import java.util.List;
import java.util.Locale;

/**
 * Draws horizontal bar charts as inline SVG: findings per module stacked by severity, and files
 * ranked by lines coloured by how many findings they have. Integer coordinates only, so the same
 * rows give the same bytes.
 */
public final class BarSvg {

    private static final int ROW = 22;
    private static final int LABEL = 300;
    private static final int BARS = 420;
    private static final int LABEL_CHARS = 44;

    /** Severity colours, the same as the page's badges. */
    private static final String[] SEVERITY_COLOURS = {"#8b0000", "#cf222e", "#bc4c00", "#9a6700", "#57606a"};

    private BarSvg() {
    }

    /**
     * One stacked row.
     *
     * @param label the row's name
     * @param counts findings per severity, indexed by {@link Severity#ordinal()}
     */
    public record Stacked(String label, int[] counts) {
        int total() {
            int t = 0;
            for (int c : counts) {
                t += c;
            }
            return t;
        }
    }

    /**
     * One ranked row.
     *
     * @param label the row's name
     * @param value the bar's length
     * @param findings findings on the row, which pick its colour
     */
    public record Ranked(String label, long value, int findings) {
    }

    /** Returns the stacked chart of findings by severity. */
    public static String stacked(List<Stacked> rows) {
        int max = 1;
        for (Stacked r : rows) {
            max = Math.max(max, r.total());
        }
        StringBuilder svg = open("findings-by-module", "Findings by module and severity", rows.size() + 1);
        int x = LABEL;
        for (Severity s : Severity.values()) { // legend
            svg.append("<rect x=\"").append(x).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"")
                    .append(SEVERITY_COLOURS[s.ordinal()]).append("\"/><text x=\"").append(x + 16)
                    .append("\" y=\"15\">").append(html(s.displayName())).append("</text>");
            x += 84;
        }
        svg.append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Stacked r = rows.get(i);
            int y = (i + 1) * ROW;
            label(svg, r.label(), y);
            int at = LABEL;
            for (Severity s : Severity.values()) {
                int c = r.counts()[s.ordinal()];
                if (c == 0) {
                    continue;
                }
                int w = Math.max(1, (int) ((long) c * BARS / max));
                svg.append("<rect class=\"sev-").append(s.name().toLowerCase(Locale.ROOT)).append("\" x=\"")
                        .append(at).append("\" y=\"").append(y + 3).append("\" width=\"").append(w)
                        .append("\" height=\"").append(ROW - 6).append("\" fill=\"")
                        .append(SEVERITY_COLOURS[s.ordinal()]).append("\"><title>").append(html(r.label()))
                        .append(": ").append(c).append(' ').append(html(s.displayName())).append("</title></rect>");
                at += w;
            }
            svg.append("<text x=\"").append(at + 4).append("\" y=\"").append(y + 15).append("\">").append(r.total())
                    .append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** Returns the ranked chart; bars without findings are grey, with findings amber to red. */
    public static String ranked(String cssClass, String title, List<Ranked> rows, String unit) {
        long max = 1;
        for (Ranked r : rows) {
            max = Math.max(max, r.value());
        }
        StringBuilder svg = open(cssClass, title, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Ranked r = rows.get(i);
            int y = i * ROW;
            label(svg, r.label(), y);
            int w = Math.max(1, (int) (r.value() * BARS / max));
            String colour = r.findings() == 0 ? "#8c959f" : r.findings() < 3 ? "#bc4c00" : "#cf222e";
            svg.append("<rect x=\"").append(LABEL).append("\" y=\"").append(y + 3).append("\" width=\"").append(w)
                    .append("\" height=\"").append(ROW - 6).append("\" fill=\"").append(colour).append("\"><title>")
                    .append(html(r.label())).append(": ").append(r.value()).append(' ').append(unit).append(", ")
                    .append(r.findings()).append(r.findings() == 1 ? " finding" : " findings")
                    .append("</title></rect><text x=\"").append(LABEL + w + 4).append("\" y=\"").append(y + 15)
                    .append("\">").append(r.value()).append(" \u00b7 ").append(r.findings()).append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static StringBuilder open(String cssClass, String title, int rows) {
        int width = LABEL + BARS + 80;
        int height = Math.max(1, rows) * ROW + 4;
        return new StringBuilder(512 + rows * 400).append("<svg class=\"")
                .append(cssClass).append("\" role=\"img\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n<title>").append(html(title))
                .append("</title>\n");
    }

    private static void label(StringBuilder svg, String label, int y) {
        String shown = Text.tail(label, LABEL_CHARS);
        svg.append("<text x=\"").append(LABEL - 6).append("\" y=\"").append(y + 15)
                .append("\" text-anchor=\"end\"><title>").append(html(label)).append("</title>").append(html(shown))
                .append("</text>");
    }
}
