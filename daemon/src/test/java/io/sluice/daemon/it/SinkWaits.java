package io.sluice.daemon.it;

import io.sluice.protocol.testing.SmtpSink;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Waiting for one particular message at a sink that receives others too. */
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

    static Predicate<SmtpSink.Message> containing(String text) {
        return m -> m.contentAsString().contains(text);
    }
}
