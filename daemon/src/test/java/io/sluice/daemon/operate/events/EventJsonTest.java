package io.sluice.daemon.operate.events;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The streaming writer must produce exactly the bytes the object mapper produced for the same event. */
class EventJsonTest {
    private final JsonMapper mapper = JsonMapper.createDefault();
    private final EventJson writer = new EventJson();

    private static final String[] HOSTILE = {
        "plain", "", "quote \" backslash \\ slash / </script>", "tab\tnewline\ncr\r nul\u0000 bell\u0007 del\u007f",
        "ünïcödé ✓ 日本語", "emoji 😀 and lone surrogate pair", "line sep \u2028 para sep \u2029", "esc \u001b[31m"
    };
    private static final Instant[] INSTANTS = {
        Instant.parse("2026-12-07T05:30:45Z"), Instant.parse("2026-12-07T05:30:45.100Z"),
        Instant.parse("2026-12-07T05:30:45.487819Z"), Instant.parse("2026-12-07T05:30:45.487819376Z"),
        Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z")
    };

    private void same(Event e) throws Exception {
        String expected = new String(mapper.writeValueAsBytes(e), StandardCharsets.UTF_8);
        assertEquals(expected, new String(writer.toJson(e), StandardCharsets.UTF_8));
        assertEquals(expected + "\n", new String(writer.toLine(e), StandardCharsets.UTF_8));
    }

    /** Every component of the record set (a component added later without a line in EventJson fails here). */
    private static Event everything(int variant) throws Exception {
        RecordComponent[] components = Event.class.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            String s = HOSTILE[(variant + i) % HOSTILE.length];
            if (t == String.class) {
                values[i] = s;
            } else if (t == Instant.class) {
                values[i] = INSTANTS[(variant + i) % INSTANTS.length];
            } else if (t == Integer.class) {
                values[i] = variant * 7 - 3 + i;
            } else if (t == Long.class) {
                values[i] = (long) Integer.MAX_VALUE * 3 + variant;
            } else if (t == List.class) {
                values[i] = List.of(s, HOSTILE[(variant + 1) % HOSTILE.length]);
            } else if (t == Response.class) {
                values[i] = new Response(250 + variant, variant % 2 == 0 ? null : "2.0.0", s);
            } else {
                throw new AssertionError("EventJsonTest does not know how to fill " + t + " " + components[i].getName());
            }
        }
        Constructor<Event> c = Event.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return c.newInstance(values);
    }

    @Test
    void everyFieldSetWritesWhatTheMapperWrote() throws Exception {
        for (int v = 0; v < 16; v++) {
            same(everything(v));
        }
    }

    @Test
    void nullFieldsAreLeftOutAsTheMapperDoes() throws Exception {
        Event full = everything(3);
        RecordComponent[] components = Event.class.getRecordComponents();
        Constructor<Event> c = Event.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        for (int drop = 0; drop < components.length; drop++) {
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = i == drop ? null : components[i].getAccessor().invoke(full);
            }
            same(c.newInstance(values));
        }
        same(c.newInstance(new Object[components.length]));
    }

    @Test
    void theEventsTheDaemonWritesMatch() throws Exception {
        Instant at = Instant.parse("2026-12-07T05:30:45.487819376Z");
        List<Event> events = new ArrayList<>();
        events.add(Event.reception(at, "01M97FQA6NZ9M96YA3XWGHG4CG", "bench@bench.test", List.of("user5@sink.test"),
                2155, "127.0.0.1", at.minusMillis(150), Map.of("tenant", "t1", "campaign", "spring")));
        events.add(Event.reception(at, "id", "", List.of(), 0, "api", at));
        events.add(Event.delivery("Delivery", at, "id", 0, "a@b.test", "c@d.test", "d.test", "mx.d.test",
                new Response(250, "2.0.0", "Ok: queued as X"), 1, at, null));
        events.add(Event.delivery("Deferral", at, "id", 3, "a@b.test", "c@d.test", "d.test", "mx.d.test",
                new Response(451, null, "try later"), 2, at, at.plusSeconds(300)));
        for (Event e : events) {
            same(e);
        }
    }
}
