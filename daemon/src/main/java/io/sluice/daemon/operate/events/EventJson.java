package io.sluice.daemon.operate.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an {@link Event} as its JSON line straight from the fields with a streaming generator
 * into one reused buffer. Building it through the object mapper cost about 3 KB of garbage per
 * event (introspection, a tree of serializer calls, a copy per step: issue 14); the event writer
 * writes every event of the daemon, so that was the third largest allocator per message.
 *
 * <p>The bytes are exactly what the mapper wrote for {@link Event} (the format is read by tools
 * and tests): the record's component order, JSON names from its {@code @JsonProperty}, null fields
 * left out, instants as ISO-8601 strings, Jackson's own string escaping — {@code EventJsonTest}
 * compares the two on every field and on hostile text. A field added to {@link Event} must be
 * added here too; that test fails until it is.
 *
 * <p>Not thread-safe: the event writer thread owns one.
 */
final class EventJson implements EventLog.Serializer {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Buffer out = new Buffer();
    private final char[] chars = new char[IsoInstant.MAX_CHARS];

    @Override
    public byte[] toJson(Event event) throws IOException {
        write(event);
        return out.copy(0);
    }

    @Override
    public byte[] toLine(Event event) throws IOException {
        write(event);
        return out.copy('\n');
    }

    private void write(Event e) throws IOException {
        out.reset();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            string(g, "type", e.type());
            instant(g, "timestamp", e.timestamp());
            string(g, "id", e.id());
            if (e.recipientIndex() != null) {
                g.writeNumberField("recipient_index", e.recipientIndex());
            }
            string(g, "sender", e.sender());
            string(g, "recipient", e.recipient());
            strings(g, "recipients", e.recipients());
            string(g, "site", e.site());
            string(g, "host", e.host());
            if (e.response() != null) {
                Response r = e.response();
                g.writeObjectFieldStart("response");
                g.writeNumberField("code", r.code());
                string(g, "enhanced_code", r.enhancedCode());
                string(g, "text", r.text());
                g.writeEndObject();
            }
            if (e.attempts() != null) {
                g.writeNumberField("attempts", e.attempts());
            }
            instant(g, "created", e.created());
            instant(g, "next_attempt", e.nextAttempt());
            if (e.size() != null) {
                g.writeNumberField("size", e.size());
            }
            string(g, "peer", e.peer());
            string(g, "tenant", e.tenant());
            string(g, "campaign", e.campaign());
            string(g, "pool", e.pool());
            string(g, "bounce_category", e.bounceCategory());
            string(g, "bounce_reason", e.bounceReason());
            string(g, "action", e.action());
            string(g, "reason", e.reason());
            string(g, "source", e.source());
            string(g, "note", e.note());
            string(g, "provider", e.provider());
            string(g, "scope", e.scope());
            string(g, "rule", e.rule());
            instant(g, "until", e.until());
            string(g, "tls_policy", e.tlsPolicy());
            string(g, "tls", e.tls());
            instant(g, "last_open", e.lastOpen());
            instant(g, "last_click", e.lastClick());
            g.writeEndObject();
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            int n = IsoInstant.format(value, chars);
            if (n < 0) {
                g.writeString(value.toString()); // outside years 0000..9999: the library's own text
            } else {
                g.writeString(chars, 0, n);
            }
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values != null) {
            g.writeArrayFieldStart(name);
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        }
    }

    /** A byte sink that keeps its array between events. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1024);
        }

        /** The bytes written, plus {@code end} when it is not 0. */
        byte[] copy(int end) {
            byte[] line = Arrays.copyOf(buf, count + (end != 0 ? 1 : 0));
            if (end != 0) {
                line[count] = (byte) end;
            }
            return line;
        }
    }
}
