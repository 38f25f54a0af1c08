package io.sluice.daemon.ingress;

import io.micronaut.context.annotation.Factory;
import io.sluice.daemon.egress.tls.report.ReportInjection;
import io.sluice.queue.SpoolException;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Mail the daemon writes itself (TLS-RPT reports) enters through {@link Intake} like any other:
 * the DKIM body hash at intake, the signature at send time, delivery by the egress engine.
 */
@Factory
final class OwnMailFactory {
    /** The peer name the reception event shows for the daemon's own mail. */
    static final String PEER = "sluice-internal";

    /**
     * The intake is looked up when the first report goes out, not when the bean is made: the
     * egress engine needs the TLS reporter, whose ledger needs this, and the intake needs the
     * engine (a cycle Micronaut refuses at start).
     */
    @Singleton
    ReportInjection reportInjection(Provider<Intake> intake) {
        return (envelope, message) -> {
            try {
                intake.get().accept(envelope, message, PEER);
            } catch (SpoolException e) {
                throw new IOException("the spool refused the report mail: " + e.getMessage(), e);
            }
        };
    }
}
