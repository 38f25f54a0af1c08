package io.sluice.daemon.ingress.http;

import io.sluice.daemon.ingress.Intake;
import io.sluice.queue.Envelope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 7: a personalised request of many recipients is rendered and appended a chunk at
 * a time, and a template is cut off as soon as its output passes the message limit, instead of
 * building every message (or one huge string) in memory first.
 */
class PersonalisedBatchTest {

    @Test
    void personalisedMessagesAreAppendedAChunkAtATime() throws Exception {
        List<InjectionRequest.Recipient> recipients = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            recipients.add(new InjectionRequest.Recipient("r" + i + "@dest.test", null, Map.of("n", i), Map.of()));
        }
        AtomicInteger rendered = new AtomicInteger();
        List<Integer> chunkSizes = new ArrayList<>();
        List<Integer> renderedAtAppend = new ArrayList<>();
        InjectionService.renderInChunks(recipients, 1_000, r -> {
            rendered.incrementAndGet();
            return new Intake.Submission(new Envelope("a@src.test", List.of(r.email()), Instant.EPOCH, Map.of()),
                    new byte[16]);
        }, chunk -> {
            chunkSizes.add(chunk.size());
            renderedAtAppend.add(rendered.get());
        });
        assertEquals(List.of(1_000, 1_000, 500), chunkSizes, "chunks appended");
        assertEquals(List.of(1_000, 2_000, 2_500), renderedAtAppend, "each chunk appended before the next is rendered");
    }

    /** A value that is long when printed, and counts how often the template printed it. */
    private static final class Counted {
        static final String TEXT = "x".repeat(50_000);
        final AtomicInteger printed;

        Counted(AtomicInteger printed) {
            this.printed = printed;
        }

        @Override
        public String toString() {
            printed.incrementAndGet();
            return TEXT;
        }
    }

    @Test
    void aTemplateThatExpandsPastTheLimitIsRefusedBeforeItIsBuilt() throws Exception {
        AtomicInteger printed = new AtomicInteger();
        List<Object> items = Collections.nCopies(200, new Counted(printed)); // 10 M characters if built whole
        InjectionRequest.Structured content = new InjectionRequest.Structured("a@src.test", null, "hi",
                "{{#items}}{{.}}{{/items}}", null, Map.of(), List.of());
        MessageComposer composer = new MessageComposer(content, Map.of("items", items), "mta.test", 1_000_000);
        InjectionService.MessageTooLargeException refused = assertThrows(InjectionService.MessageTooLargeException.class,
                () -> composer.compose(null));
        assertTrue(refused.getMessage().contains("sluice.api.max-message-bytes"), refused.getMessage());
        assertTrue(printed.get() <= 1_000_000 / Counted.TEXT.length() + 1,
                printed.get() + " values printed; the limit is reached after 21");
    }
}
