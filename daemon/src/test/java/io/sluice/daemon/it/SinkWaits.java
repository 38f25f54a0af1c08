package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * What a postfix smtp-sink received: one message among others, counts of recipients, by source;
 * and what a daemon that takes no more mail for now answers meanwhile.
 */
final class SinkWaits {
    private SinkWaits() {
    }

    static SmtpSink.Message await(SmtpSink sink, String description, Duration timeout,
                                  Predicate<SmtpSink.Message> match) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (SmtpSink.Message m : sink.messages()) {
                if (match.test(m)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no message " + description + " at the sink within " + timeout);
    }

    /** Waits for each of {@code messageIds} (as in their Message-ID fields), each within {@code timeout}. */
    static void awaitMessageIds(SmtpSink sink, Iterable<String> messageIds, Duration timeout) throws InterruptedException {
        for (String id : messageIds) {
            await(sink, id, timeout, containing("Message-ID: " + id));
        }
    }

    /**
     * A session answered {@code refused} because the spool takes no more mail for now: 452 4.3.1,
     * the daemon reports itself degraded, and the session goes on.
     */
    static void assertRefusedForStorage(DaemonProcess daemon, SmtpDialogue smtp, SmtpDialogue.Reply refused)
            throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(refused != null, "mail was refused");
        org.junit.jupiter.api.Assertions.assertEquals(452, refused.code(), refused.toString());
        org.junit.jupiter.api.Assertions.assertTrue(refused.text().startsWith("4.3.1 "), refused.toString());
        org.junit.jupiter.api.Assertions.assertEquals(503, daemon.healthStatus(), "health reports that new mail is refused");
        org.junit.jupiter.api.Assertions.assertTrue(daemon.healthBody().contains("DEGRADED"), daemon.healthBody());
        org.junit.jupiter.api.Assertions.assertEquals(250, smtp.command("NOOP").code(), "the daemon is alive and serving");
    }

    /** Recipients received so far (a transaction may carry several). */
    static long recipientsAt(SmtpSink sink) {
        return sink.messages().stream().mapToLong(m -> m.rcptTo().size()).sum();
    }

    /** Waits until exactly {@code n} recipients arrived (fails if fewer, or more, by then). */
    static void awaitRecipients(SmtpSink sink, long n, Duration within) {
        long got = Eventually.eventually("recipients at the sink", within, () -> recipientsAt(sink), c -> c >= n);
        org.junit.jupiter.api.Assertions.assertEquals(n, got, "recipients at the sink");
    }

    /**
     * Recipients received, by the X-Client-Addr of their transaction: the source address that
     * sent them.
     */
    static java.util.Map<String, Long> bySource(SmtpSink sink) {
        return sink.messages().stream().collect(java.util.stream.Collectors.groupingBy(m -> {
            try {
                return java.nio.file.Files.readAllLines(m.file()).stream().filter(l -> l.startsWith("X-Client-Addr: "))
                        .findFirst().orElse("?").substring("X-Client-Addr: ".length()).strip();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.util.stream.Collectors.summingLong(m -> m.rcptTo().size())));
    }

    static Predicate<SmtpSink.Message> containing(String text) {
        return m -> m.contentAsString().contains(text);
    }
}
