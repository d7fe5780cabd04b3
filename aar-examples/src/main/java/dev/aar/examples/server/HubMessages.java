package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ASP.NET Core SignalR JSON hub protocol's messages as this server writes them: each a JSON
 * object followed by the record separator {@code 0x1E}.
 */
final class HubMessages {

    /** Ends every message of the JSON hub protocol (handshake included). */
    static final char RECORD_SEPARATOR = '\u001e';

    static final int INVOCATION = 1;
    static final int STREAM_ITEM = 2;
    static final int COMPLETION = 3;
    static final int STREAM_INVOCATION = 4;
    static final int CANCEL_INVOCATION = 5;
    static final int PING = 6;
    static final int CLOSE = 7;

    /** The handshake's success answer. */
    static final String HANDSHAKE_OK = "{}" + RECORD_SEPARATOR;
    /** A keep-alive. */
    static final String PING_MESSAGE = "{\"type\":6}" + RECORD_SEPARATOR;

    private final ObjectMapper json;

    HubMessages(ObjectMapper json) {
        this.json = json;
    }

    /** A server-to-client invocation of {@code target} with one argument given as JSON (no completion expected). */
    static String invocation(String target, String argumentJson) {
        // target is one of our own event names: no escaping needed, and the argument is JSON already
        return "{\"type\":1,\"target\":\"" + target + "\",\"arguments\":[" + argumentJson + "]}" + RECORD_SEPARATOR;
    }

    /** The handshake's failure answer. */
    String handshakeError(String error) {
        ObjectNode n = json.createObjectNode().put("error", error);
        return n + String.valueOf(RECORD_SEPARATOR);
    }

    /** A completion without result, or with {@code error} when it is not null. */
    String completion(String invocationId, String error) {
        ObjectNode n = json.createObjectNode().put("type", COMPLETION).put("invocationId", invocationId);
        if (error != null) {
            n.put("error", error);
        } else {
            n.putNull("result");
        }
        return n + String.valueOf(RECORD_SEPARATOR);
    }

    /** A close message; {@code allowReconnect} tells a client built with {@code withAutomaticReconnect} to come back. */
    String close(String error, boolean allowReconnect) {
        ObjectNode n = json.createObjectNode().put("type", CLOSE);
        if (error != null) {
            n.put("error", error);
        }
        if (allowReconnect) {
            n.put("allowReconnect", true);
        }
        return n + String.valueOf(RECORD_SEPARATOR);
    }
}
