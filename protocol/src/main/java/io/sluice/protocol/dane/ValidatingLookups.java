package io.sluice.protocol.dane;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Validates answers here, with dnsjava's {@link ValidatingResolver}, over the configured
 * upstream resolvers (which only need to pass DNSSEC records through; they need not validate).
 *
 * <p>The trust anchors come from a file in zone-file form (DS or DNSKEY records); the bundled
 * {@link #ROOT_ANCHORS} holds the root KSK-2017 (key tag 20326) and KSK-2024 (key tag 38696), so
 * validation keeps working across the 2026 root key roll.
 */
public final class ValidatingLookups implements DnssecLookups {
    /** The bundled root trust anchors (class-path resource). */
    public static final String ROOT_ANCHORS = "/io/sluice/protocol/dane/root-anchors.txt";

    private final ValidatingResolver resolver;
    private final Executor executor;
    private final List<Name> anchorZones;

    /**
     * @param upstream the resolvers to ask; empty means those of the system
     * @param anchors  trust anchors in zone-file form
     * @param clock    the time signatures are checked against
     */
    public ValidatingLookups(List<InetSocketAddress> upstream, String anchors, Duration timeout, Clock clock,
            Executor executor) {
        Objects.requireNonNull(anchors, "anchors");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.resolver = new ValidatingResolver(head(upstream, timeout), clock);
        this.resolver.setTimeout(timeout);
        try {
            resolver.loadTrustAnchors(new ByteArrayInputStream(anchors.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read trust anchors: " + e.getMessage(), e);
        }
        List<Name> zones = new ArrayList<>();
        for (RRset set : resolver.getTrustAnchors().items()) {
            if (!zones.contains(set.getName())) {
                zones.add(set.getName());
            }
        }
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("no DS or DNSKEY record among the trust anchors");
        }
        this.anchorZones = List.copyOf(zones);
    }

    /** The trust anchor text of a file, or of the bundled root anchors when {@code file} is null. */
    public static String anchors(Path file) {
        try {
            if (file != null) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            try (InputStream in = ValidatingLookups.class.getResourceAsStream(ROOT_ANCHORS)) {
                if (in == null) {
                    throw new IllegalStateException("bundled " + ROOT_ANCHORS + " missing");
                }
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trust anchors " + file, e);
        }
    }

    @Override
    public List<Name> anchorZones() {
        return anchorZones;
    }

    @Override
    public CompletableFuture<DnssecAnswer> query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return resolver.sendAsync(query, executor).toCompletableFuture()
                .thenApply(ValidatingLookups::classify)
                .exceptionally(e -> DnssecAnswer.failed(name + " " + org.xbill.DNS.Type.string(type) + ": "
                        + (e.getCause() != null ? e.getCause() : e)));
    }

    /*
     * The validating resolver sets AD on secure answers and answers SERVFAIL, with its reason in a
     * TXT record of a private class in the additional section, on bogus ones.
     */
    private static DnssecAnswer classify(Message response) {
        if (response.getHeader().getFlag(Flags.AD)) {
            return new DnssecAnswer(Security.SECURE, response, "");
        }
        if (response.getRcode() == Rcode.SERVFAIL) {
            String reason = "";
            for (Record r : response.getSection(Section.ADDITIONAL)) {
                if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && r instanceof TXTRecord txt) {
                    reason = String.join(" ", txt.getStrings());
                }
            }
            return reason.isEmpty()
                    ? new DnssecAnswer(Security.FAILED, response, "upstream answered SERVFAIL")
                    : new DnssecAnswer(Security.BOGUS, response, reason);
        }
        return new DnssecAnswer(Security.INSECURE, response, "");
    }

    private static Resolver head(List<InetSocketAddress> upstream, Duration timeout) {
        if (upstream.size() == 1) {
            SimpleResolver simple = new SimpleResolver(upstream.get(0));
            simple.setTimeout(timeout);
            return simple;
        }
        ExtendedResolver extended;
        if (upstream.isEmpty()) {
            extended = new ExtendedResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress server : upstream) {
                SimpleResolver simple = new SimpleResolver(server);
                simple.setTimeout(timeout);
                each.add(simple);
            }
            extended = new ExtendedResolver(each);
        }
        extended.setTimeout(timeout);
        return extended;
    }
}
