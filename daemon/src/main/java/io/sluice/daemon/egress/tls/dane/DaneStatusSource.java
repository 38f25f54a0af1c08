package io.sluice.daemon.egress.tls.dane;

import io.sluice.daemon.egress.tls.DaneSource;
import io.sluice.daemon.egress.tls.DnssecInvalidException;
import io.sluice.daemon.egress.tls.TlsPolicy;
import io.sluice.daemon.operate.events.Event;
import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.dane.DaneStatus;
import io.sluice.protocol.dane.TlsaRecord;
import io.sluice.protocol.dane.TlsaTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link DaneSource} the TLS policy resolver asks: a {@link DaneStatus} from the DANE lookup
 * (asynchronous, never blocks the caller) turned into a {@link TlsPolicy} of kind DANE.
 * <ul>
 *   <li>Usable: TLS required, the certificate judged by a {@link TlsaTrustManager};</li>
 *   <li>UnusableOnly: TLS required, not authenticated (RFC 7672 §2.2), never clear text;</li>
 *   <li>Bogus: a DANE policy whose trust manager refuses every certificate, so that host is never
 *       used and the domain defers (RFC 7672 §2.1.1), as {@link DaneSource} asks;</li>
 *   <li>ValidationBroken: the alarm, at most once a minute while it lasts (an ERROR in the log and
 *       a {@code DaneValidationBroken} event, which the event log ships to the webhook like any
 *       other), and no DANE: the whole queue must not defer because the resolver strips
 *       signatures;</li>
 *   <li>Insecure: no DANE; MTA-STS or the provider rule decide.</li>
 * </ul>
 */
public final class DaneStatusSource implements DaneSource {
    private static final Logger LOG = LoggerFactory.getLogger(DaneStatusSource.class);
    static final Duration ALARM_EVERY = Duration.ofMinutes(1);

    private final BiFunction<String, String, CompletableFuture<DaneStatus>> lookup;
    private final Clock clock;
    private final Consumer<Event> events;
    private final AtomicLong lastAlarm = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param lookup {@code DaneLookup::status} in the daemon; a fake in tests
     * @param events where the alarm goes as an event: {@code EventLog::publish} in the daemon
     */
    public DaneStatusSource(BiFunction<String, String, CompletableFuture<DaneStatus>> lookup, Clock clock,
                            Consumer<Event> events) {
        this.lookup = lookup;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public CompletableFuture<Optional<TlsPolicy>> policy(String domain, String mxHost) {
        return lookup.apply(domain, mxHost).thenApply(status -> policyOf(domain, mxHost, status));
    }

    Optional<TlsPolicy> policyOf(String domain, String mxHost, DaneStatus status) {
        if (status instanceof DaneStatus.Usable usable) {
            return Optional.of(new TlsPolicy(TlsPolicy.Kind.DANE, domain,
                    new PeerAuthentication.Delegated(TlsaTrustManager.of(usable, clock)), strings(usable.records())));
        }
        if (status instanceof DaneStatus.UnusableOnly unusable) {
            return Optional.of(new TlsPolicy(TlsPolicy.Kind.DANE, domain, PeerAuthentication.ANY,
                    strings(unusable.records())));
        }
        if (status instanceof DaneStatus.Bogus bogus) {
            return Optional.of(new TlsPolicy(TlsPolicy.Kind.DANE, domain,
                    new PeerAuthentication.Delegated(new RefuseAll("DANE: DNSSEC answers for " + mxHost
                            + " are bogus, the host must not be used: " + bogus.reason())), List.of()));
        }
        if (status instanceof DaneStatus.ValidationBroken broken) {
            alarm(domain, mxHost, broken);
        }
        return Optional.empty();
    }

    private void alarm(String domain, String mxHost, DaneStatus.ValidationBroken broken) {
        long now = clock.millis();
        long last = lastAlarm.get();
        if ((last == Long.MIN_VALUE || now - last >= ALARM_EVERY.toMillis()) && lastAlarm.compareAndSet(last, now)) {
            LOG.error("DANE validation is broken, delivering without DANE until it recovers: {}", broken.reason());
            try {
                events.accept(Event.daneValidationBroken(clock.instant(), domain, mxHost, broken.reason()));
            } catch (RuntimeException e) {
                LOG.warn("the DaneValidationBroken event could not be published", e); // the log line above stands
            }
        }
    }

    private static List<String> strings(List<TlsaRecord> records) {
        return records.stream().map(TlsaRecord::toString).toList();
    }

    /**
     * Trusts nothing: a bogus DANE host is never authenticated, so nothing is sent to it; the
     * refusal is a {@link DnssecInvalidException}, reported to TLS-RPT as {@code dnssec-invalid}.
     */
    static final class RefuseAll extends X509ExtendedTrustManager {
        private final String reason;

        RefuseAll(String reason) {
            this.reason = reason;
        }

        private void refuse() throws CertificateException {
            throw new DnssecInvalidException(reason);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            refuse();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
