package io.sluice.protocol.dane;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * Trusts the AD bit of a validating resolver (Unbound, Knot Resolver, BIND) the operator runs.
 *
 * <p>The AD bit is only as good as the path it travelled: anyone on the wire can set it. So the
 * resolver must be on loopback (RFC 6698 §4.1, RFC 7672 §2.1.1); any other address is refused at
 * construction. The query sets AD itself (RFC 6840 §5.7) so the resolver reports it. A SERVFAIL
 * is taken as bogus: a validating resolver answers bogus data that way.
 */
public final class AdBitLookups implements DnssecLookups {
    private final SimpleResolver resolver;
    private final Executor executor;
    private final List<Name> anchorZones;

    /** Trusting the resolver's AD bit, with the root as the zone whose validation is probed. */
    public AdBitLookups(InetSocketAddress resolverAddress, Duration timeout, Executor executor) {
        this(resolverAddress, timeout, executor, List.of(Name.root));
    }

    /**
     * @param anchorZones the zones the resolver's trust anchors cover (the root, normally); their
     *                    DNSKEY RRsets are probed to tell a broken resolver from a bogus domain
     */
    public AdBitLookups(InetSocketAddress resolverAddress, Duration timeout, Executor executor, List<Name> anchorZones) {
        Objects.requireNonNull(resolverAddress, "resolverAddress");
        if (resolverAddress.getAddress() == null || !resolverAddress.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the AD bit is trusted only from a resolver on loopback, not "
                    + resolverAddress.getHostString());
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.resolver = new SimpleResolver(resolverAddress);
        this.resolver.setTimeout(timeout);
        this.resolver.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of());
        this.anchorZones = List.copyOf(anchorZones);
    }

    @Override
    public List<Name> anchorZones() {
        return anchorZones;
    }

    @Override
    public CompletableFuture<DnssecAnswer> query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().setFlag(Flags.AD);
        return resolver.sendAsync(query, executor).toCompletableFuture()
                .thenApply(response -> {
                    if (response.getHeader().getFlag(Flags.AD)) {
                        return new DnssecAnswer(Security.SECURE, response, "");
                    }
                    if (response.getRcode() == Rcode.SERVFAIL) {
                        return new DnssecAnswer(Security.BOGUS, response, "the validating resolver answered SERVFAIL");
                    }
                    return new DnssecAnswer(Security.INSECURE, response, "");
                })
                .exceptionally(e -> DnssecAnswer.failed(name + " " + org.xbill.DNS.Type.string(type) + ": "
                        + (e.getCause() != null ? e.getCause() : e)));
    }
}
