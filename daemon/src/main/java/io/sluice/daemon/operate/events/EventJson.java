package io.sluice.daemon.operate.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Writes an {@link Event} as JSON straight from the fields with a streaming generator into the
 * event writer's batch buffer. Building it through the object mapper cost about 3 KB of garbage
 * per event (introspection, a tree of serializer calls, a copy per step: issue 14); the event
 * writer writes every event of the daemon, so that was the third largest allocator per message.
 * The generator is kept from event to event while the output stays the same (a generator per
 * event was an object, its context and a buffer lease each time), and each event's bytes go
 * to that output with no copy of the line of its own.
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

    private final char[] chars = new char[IsoInstant.MAX_CHARS];
    /** The output the generator writes to, and the generator; both null after a failed event. */
    private OutputStream target;
    private JsonGenerator generator;

    /** The event's JSON alone, as a new array (tests and one-off callers; the writer uses {@link #write}). */
    byte[] toJson(Event event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        write(event, bytes);
        return bytes.toByteArray();
    }

    /**
     * Appends the event's JSON, without a newline, to {@code out}; all of it is in {@code out}
     * when this returns. When it throws, {@code out} may hold part of the event: the caller drops
     * it, and the next event starts a new generator.
     */
    @Override
    public void write(Event event, OutputStream out) throws IOException {
        if (out != target) {
            // nothing at root separates one value from the next: the caller ends the line
            generator = FACTORY.createGenerator(out).setRootValueSeparator(null);
            target = out;
        }
        boolean whole = false;
        try {
            fields(generator, event);
            generator.flush();
            whole = true;
        } finally {
            if (!whole) {
                // the generator may hold part of the event, or be inside its object: never reuse it
                generator = null;
                target = null;
            }
        }
    }

    private void fields(JsonGenerator g, Event e) throws IOException {
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
}
