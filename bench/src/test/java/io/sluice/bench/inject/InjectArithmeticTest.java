package io.sluice.bench.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.bench.measure.BenchHeaders;
import io.sluice.bench.measure.Sizes;
import io.sluice.bench.measure.WeightedChoice;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InjectArithmeticTest {
    @Test
    void weightedDomainsComeInExactProportionPerCycle() {
        WeightedChoice<String> c = WeightedChoice.of(List.of("gmail.test", "yahoo.test", "outlook.test"), List.of(60, 25, 15));
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            n.merge(c.pick(i), 1, Integer::sum);
        }
        assertEquals(Map.of("gmail.test", 600, "yahoo.test", 250, "outlook.test", 150), n);
    }

    @Test
    void aRatedPlanSpacesMessagesAndStopsAtTheCount() {
        InjectPlan plan = new InjectPlan(3, 0, 100);
        plan.start(1_000);
        assertEquals(1_000, plan.next(0).dueNanos());
        assertEquals(1_000 + 10_000_000, plan.next(0).dueNanos());
        assertEquals(1_000 + 20_000_000, plan.next(0).dueNanos());
        assertNull(plan.next(0));
    }

    @Test
    void aDurationPlanEndsWhenDueTimesPassTheDuration() {
        InjectPlan plan = new InjectPlan(0, 1_000_000_000L, 10);
        plan.start(0);
        int n = 0;
        while (plan.next(0) != null) {
            n++;
        }
        assertEquals(10, n);
        assertEquals(10, plan.expected());
    }

    @Test
    void messagesHaveTheDrawnSizeTheHeadersAndCrlfOnly() {
        MessageFactory f = new MessageFactory("run1", "bench@bench.test", WeightedChoice.of(List.of("a.test"), List.of(1)),
                Sizes.distribution("2KB:1,20KB:1"), 2, List.of("X-Campaign: spring"));
        MessageFactory.Message m0 = f.make(0, 123);
        MessageFactory.Message m1 = f.make(1, 456);
        assertTrue(Math.abs(m0.content().length - 2048) < 80, "size " + m0.content().length);
        assertTrue(Math.abs(m1.content().length - 20480) < 80, "size " + m1.content().length);
        assertEquals(List.of("user0@a.test", "user1@a.test"), m0.recipients());
        String text = new String(m0.content(), StandardCharsets.US_ASCII);
        assertTrue(text.contains("\r\nX-Campaign: spring\r\n"));
        assertTrue(text.replace("\r\n", "").indexOf('\n') < 0 && text.replace("\r\n", "").indexOf('\r') < 0);
        BenchHeaders.Found found = BenchHeaders.find(m0.content(), m0.content().length);
        assertEquals("run1-0", found.id());
        assertEquals(0, found.sequence());
        assertEquals("run1", found.run());
        assertEquals(123, found.sentMicros());
    }

    @Test
    void dotStuffingDoublesLeadingDotsOnly() {
        byte[] in = ".a\r\nb.c\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("..a\r\nb.c\r\n..\r\n".getBytes(StandardCharsets.US_ASCII), MessageFactory.dotStuff(in));
    }

    @Test
    void httpBodyIsJsonWithTheExactContent() {
        MessageFactory.Message m = new MessageFactory.Message(1, "r-1", 1, "a@b.test", List.of("c@d.test"),
                "Subject: \"q\"\r\n\r\nx\\y\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("{\"envelope_sender\":\"a@b.test\",\"recipients\":[{\"email\":\"c@d.test\"}],"
                + "\"content\":\"Subject: \\\"q\\\"\\r\\n\\r\\nx\\\\y\\r\\n\"}", HttpInjector.json(m));
    }
}
