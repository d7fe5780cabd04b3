package dev.aar.jdbc.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.event.ProgressEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for progress events crossing nodes: an envelope with the sending node's id and either the
 * event (its {@code type} is {@link ProgressEvent#eventName()}) or the id of a {@code progress_events}
 * row that holds it.
 */
public final class ProgressEventCodec {

    /** What one notification carries. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Envelope(String node, ProgressEvent event, Long ref) {
    }

    /** Lets Jackson write and read the sealed interface with a type discriminator. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    private interface TypedEvent {
    }

    private final ObjectMapper mapper;

    public ProgressEventCodec() {
        mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer nodes may add fields
                .addMixIn(ProgressEvent.class, TypedEvent.class);
        // every permitted event type, named as ProgressEvent.eventName() names it
        for (Class<?> type : ProgressEvent.class.getPermittedSubclasses()) {
            mapper.registerSubtypes(new NamedType(type, type.getSimpleName()));
        }
    }

    /** Returns the envelope as JSON. */
    public String write(Envelope envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write progress event " + envelope.event(), e);
        }
    }

    /** Returns the event alone as JSON with its type, for a {@code progress_events} row. */
    public String writeEvent(ProgressEvent event) {
        try {
            return mapper.writerFor(ProgressEvent.class).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write progress event " + event, e);
        }
    }

    /** Reads an envelope. */
    public Envelope readEnvelope(String json) throws IOException {
        return mapper.readValue(json, Envelope.class);
    }

    /** Reads an event written by {@link #writeEvent}. */
    public ProgressEvent readEvent(String json) throws IOException {
        return mapper.readValue(json, ProgressEvent.class);
    }
}
