package dev.aar.core.report.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.report.Report;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads and writes {@link Report}s as JSON: pretty-printed UTF-8, times as ISO-8601 strings,
 * severities and phases by their spec names, absent values left out. Unknown properties are ignored
 * on reading, so a report written by a newer version still loads.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ReportJson() {
    }

    /** Returns the report as UTF-8 JSON. */
    public static byte[] write(Report report) {
        try {
            return MAPPER.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + report.reportId() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws UncheckedIOException when {@code json} is not a report
     */
    public static Report read(byte[] json) {
        try {
            return MAPPER.readValue(json, Report.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid report: " + e.getMessage(), e);
        }
    }
}
