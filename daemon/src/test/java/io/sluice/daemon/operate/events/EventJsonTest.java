package io.sluice.daemon.operate.events;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The streaming writer must produce exactly the bytes the object mapper produced for the same
 * event (the log's format before issue 14), alone and one after another into the event writer's
 * kind of buffer, where one generator serves every event.
 */
class EventJsonTest {
    private final JsonMapper mapper = JsonMapper.createDefault();
    private final EventJson writer = new EventJson();
    /** Every event checked is also appended here as a line by one writer, as the event writer does. */
    private final EventJson streaming = new EventJson();
    private final ByteArrayOutputStream stream = new ByteArrayOutputStream();
    private final StringBuilder expectedStream = new StringBuilder();

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
        streaming.write(e, stream);
        stream.write('\n');
        expectedStream.append(expected).append('\n');
        assertEquals(expectedStream.toString(), stream.toString(StandardCharsets.UTF_8));
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

    @Test
    void everyKindOfEventTheFactoriesMakeMatches() throws Exception {
        Instant at = Instant.parse("2026-12-07T05:30:45.487Z");
        Response reply = new Response(421, "4.7.0", "[TSS04] deferred due to \"volume\"");
        Event delivery = Event.delivery("Delivery", at, "01M97FQA6NZ9M96YA3XWGHG4CG", 2, "a@b.test", "c@d.test",
                "d.test", "mx.d.test[192.0.2.1]:25", new Response(250, "2.0.0", "Ok"), 1, at.minusSeconds(2), null);
        List<Event> events = List.of(
                Event.reception(at, "id", "a@b.test", List.of("c@d.test", "e@f.test"), 2155, "127.0.0.1", at,
                        Map.of("tenant", "t1", "campaign", "spring", "pool", "warm")),
                Event.complianceGate(at, "a@b.test", List.of("c@d.test"), "127.0.0.1", "t1", "spring", "refused",
                        "list-unsubscribe,date", "no List-Unsubscribe; no Date"),
                delivery,
                delivery.withLabels("t1", "spring").withEgress("ip2[192.0.2.11]", "yahoo").withTls("dane", "verified"),
                Event.delivery("TransientFailure", at, "id", 0, "", "c@d.test", "d.test", null,
                        new Response(451, "4.4.1", "connection refused"), 3, at, at.plusSeconds(600))
                        .withBounce("transient", "connection"),
                Event.delivery("Bounce", at, "id", 0, "a@b.test", "c@d.test", "d.test", "mx.d.test",
                        new Response(550, "5.1.1", "User unknown"), 1, at, null).withBounce("bad-mailbox", "userunknown"),
                Event.delivery("Expiration", at, "id", 0, "a@b.test", "c@d.test", "d.test", null,
                        new Response(451, "4.4.7", "delivery window did not open"), 0, at, null),
                Event.feedback("OOB", at, "id", 3, "dsn@d.test", "default", "suppressed", "hard-bounce",
                        "b-01kb@bounces.test", "smtp; 550 5.1.1", "bad-mailbox", "userunknown"),
                Event.feedback("Feedback", at, "id", 4, "arf@d.test", "default", "suppressed", "complaint",
                        "fbl@bounces.test", "feedback-type abuse", null, null),
                Event.feedback("Suppression", at, null, null, "@d.test", "*", "add", "manual", "admin", "ünïcödé ✓",
                        null, null),
                Event.feedback("Unsubscribe", at, "id", 0, "c@d.test", "t1", "suppressed", "unsubscribe", "one-click",
                        null, null, null),
                Event.breakerWarning(at, "tenant:t1>gmail", "gmail", "breaker:complaints", "0.42% of 1200"),
                Event.sourceSuspension(at, "source:ip2>*", "source-health:dnsbl", "suspended", "listed"),
                Event.shaping("Suspension", at, "path:ip2>mta5.test", "yahoo", "yahoo-tss04", reply, at.plusSeconds(3600)),
                Event.shaping("Throttle", at, "source:ip2>yahoo", "yahoo", "yahoo-rate", reply, at.plusSeconds(60)),
                Event.shaping("Resumption", at, "domain:d.test", null, "admin", null, null).withNote("operator"),
                Event.shaping("WarmupSpent", at, "source:ip2>gmail", "gmail", null, null, at.plusSeconds(86_400)),
                Event.sourceHealth(at, "ip2", "192.0.2.11", "dnsbl:bl.test", "fail", "listed (127.0.0.2)"),
                Event.daneValidationBroken(at, "d.test", "mx.d.test", "bogus: no signature"),
                Event.feedback("Open", at, "id", 0, null, "t1", "human", null, "browser", null, null, null)
                        .withEngagement("c@d.test", "spring", at, at.minusSeconds(3600)),
                Event.feedback("Click", at, "id", 0, null, "t1", "machine", "link-scanner", "bot", "link 2", null, null)
                        .withEngagement(null, null, null, null));
        for (Event e : events) {
            same(e);
        }
    }

    @Test
    void anEventWhoseOutputFailsHalfwayLeavesNothingBehindForTheNext() throws Exception {
        Instant at = Instant.parse("2026-12-07T05:30:45Z");
        // bigger than the generator's own buffer: it reaches the output mid-object, and fails there
        Event big = Event.feedback("Suppression", at, null, null, "a@d.test", "*", "add", "manual", "admin",
                "x".repeat(20_000), null, null);
        Event next = Event.reception(at, "next", "a@b.test", List.of("c@d.test"), 20, "127.0.0.1", at);
        FailingOnce out = new FailingOnce();
        assertThrows(IOException.class, () -> writer.write(big, out));
        writer.write(next, out);
        assertEquals(new String(mapper.writeValueAsBytes(next), StandardCharsets.UTF_8),
                out.taken.toString(StandardCharsets.UTF_8));
    }

    /** An output whose first write fails, as a full disk would; after that it takes everything. */
    private static final class FailingOnce extends OutputStream {
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();
        private boolean failed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!failed) {
                failed = true;
                throw new IOException("no room");
            }
            taken.write(b, off, len);
        }
    }
}
