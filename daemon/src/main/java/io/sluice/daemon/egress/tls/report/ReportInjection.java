package io.sluice.daemon.egress.tls.report;

import io.sluice.queue.Envelope;
import java.io.IOException;

/**
 * The daemon's own door for mail it writes itself: the report mail goes through it into the
 * spool, so it is DKIM-signed and delivered like any other message. The daemon wires it to
 * {@code ingress.Intake} (egress does not reach into ingress itself).
 */
@FunctionalInterface
public interface ReportInjection {
    /** Returns once the message is durable in the spool. */
    void inject(Envelope envelope, byte[] message) throws IOException;
}
