package io.sluice.daemon.egress.tls.dane;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DaneSettings;
import io.sluice.daemon.config.DnsSettings;
import io.sluice.daemon.egress.tls.DaneSource;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.protocol.dane.AdBitLookups;
import io.sluice.protocol.dane.DaneLookup;
import io.sluice.protocol.dane.DnssecLookups;
import io.sluice.protocol.dane.ValidatingLookups;
import io.sluice.protocol.dns.MxResolver;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Builds the {@link DaneLookup} from {@code sluice.dane.*}; no bean when validation is off
 * (callers take an {@code Optional<DaneLookup>}). Bad values are ConfigExceptions naming the key:
 * an unreadable or empty anchor file, a {@code resolver-ad} resolver that is missing or not on
 * loopback. Nothing here opens a socket until the first lookup. The {@link DaneSource} bean
 * puts the lookup in front of the TLS policy resolver ({@link DaneStatusSource}).
 */
@Factory
final class DaneFactory {

    @Singleton
    @Requires(property = "sluice.dane.validation", notEquals = "off")
    DaneLookup daneLookup(DaneSettings settings, DnsSettings dns, Clock clock) {
        return new DaneLookup(lookups(settings, dns, clock));
    }

    /**
     * Replaces the resolver's default (no DANE) when a lookup exists; with validation off, still no
     * DANE. The broken-validation alarm goes to the event log (absent under check-config).
     */
    @Singleton
    DaneSource daneSource(Optional<DaneLookup> lookup, Clock clock, Optional<EventLog> events) {
        Consumer<Event> alarm = events.<Consumer<Event>>map(log -> log::publish).orElse(e -> { });
        return lookup.<DaneSource>map(l -> new DaneStatusSource(l::status, clock, alarm)).orElse(DaneSource.ABSENT);
    }

    static DnssecLookups lookups(DaneSettings settings, DnsSettings dns, Clock clock) {
        String mode = settings.validation().toLowerCase(Locale.ROOT);
        if (mode.equals("resolver-ad")) {
            String raw = settings.resolver() == null ? "" : settings.resolver().strip();
            List<InetSocketAddress> servers;
            try {
                servers = MxResolver.parseServers(raw);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("sluice.dane.resolver", raw, e.getMessage());
            }
            if (servers.size() != 1) {
                throw new ConfigException("sluice.dane.resolver", raw,
                        "resolver-ad needs exactly one validating resolver, host:port on loopback (127.0.0.1:53)");
            }
            try {
                return new AdBitLookups(servers.get(0), settings.timeout(), ForkJoinPool.commonPool());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("sluice.dane.resolver", raw, e.getMessage()
                        + "; the AD bit can be forged on any other path");
            }
        }
        String file = settings.trustAnchors() == null ? "" : settings.trustAnchors().strip();
        String anchors;
        try {
            anchors = ValidatingLookups.anchors(file.isEmpty() ? null : Path.of(file));
        } catch (UncheckedIOException e) {
            throw new ConfigException("sluice.dane.trust-anchors", file, "cannot be read: " + e.getCause().getMessage());
        }
        List<InetSocketAddress> upstream = MxResolver.parseServers(String.join(",", dns.servers()));
        try {
            return new ValidatingLookups(upstream, anchors, settings.timeout(), clock, ForkJoinPool.commonPool());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sluice.dane.trust-anchors", file.isEmpty() ? "(bundled)" : file, e.getMessage());
        }
    }
}
