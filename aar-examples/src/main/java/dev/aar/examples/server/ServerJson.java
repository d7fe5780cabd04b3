package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON mapper the quick-start server writes responses and events with. */
public final class ServerJson {

    private ServerJson() {
    }

    /** Returns a mapper writing {@code java.time} values as ISO-8601 strings. */
    public static ObjectMapper create() {
        return JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }
}
