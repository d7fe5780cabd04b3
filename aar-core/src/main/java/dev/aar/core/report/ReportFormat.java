package dev.aar.core.report;

import dev.aar.core.report.internal.HtmlReport;
import dev.aar.core.report.internal.MarkdownReport;
import dev.aar.core.report.internal.ReportJson;
import java.nio.charset.StandardCharsets;

/** The files a report is written as, with their names and media types. */
public enum ReportFormat {
    JSON("report.json", "application/json"),
    HTML("report.html", "text/html; charset=utf-8"),
    MARKDOWN("report.md", "text/markdown; charset=utf-8");

    private final String fileName;
    private final String mediaType;

    ReportFormat(String fileName, String mediaType) {
        this.fileName = fileName;
        this.mediaType = mediaType;
    }

    /** Returns the file name: "report.json", "report.html" or "report.md". */
    public String fileName() {
        return fileName;
    }

    /** Returns the HTTP media type. */
    public String mediaType() {
        return mediaType;
    }

    /** Returns {@code report} in this format, as UTF-8 bytes. */
    public byte[] render(Report report) {
        return switch (this) {
            case JSON -> ReportJson.write(report);
            case HTML -> HtmlReport.render(report).getBytes(StandardCharsets.UTF_8);
            case MARKDOWN -> MarkdownReport.render(report).getBytes(StandardCharsets.UTF_8);
        };
    }
}
