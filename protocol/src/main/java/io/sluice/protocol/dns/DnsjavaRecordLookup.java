package io.sluice.protocol.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link RecordLookup} over dnsjava, asking the given recursive resolvers (or the system's) and
 * keeping no cache. The resolver follows CNAMEs; records of the asked type in the answer section
 * are what counts. Immutable and safe to share between threads; each call blocks until answered
 * or timed out, so callers run it off event-loop threads.
 */
public final class DnsjavaRecordLookup implements RecordLookup {
    private final Resolver resolver;

    /**
     * @param servers recursive resolvers; empty means the system's (as dnsjava reads /etc/resolv.conf)
     * @param timeout how long one query may take
     */
    public DnsjavaRecordLookup(List<InetSocketAddress> servers, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (servers.size() == 1) {
            SimpleResolver simple = new SimpleResolver(servers.get(0));
            simple.setTimeout(timeout);
            this.resolver = simple;
        } else {
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress server : servers) {
                SimpleResolver simple = new SimpleResolver(server);
                simple.setTimeout(timeout);
                each.add(simple);
            }
            ExtendedResolver extended = each.isEmpty() ? new ExtendedResolver() : new ExtendedResolver(each);
            extended.setTimeout(timeout);
            this.resolver = extended;
        }
    }

    @Override
    public List<String> txt(String name) throws DnsFailure {
        List<String> out = new ArrayList<>();
        for (Record r : answers(name, Type.TXT)) {
            if (r instanceof TXTRecord t) {
                StringBuilder joined = new StringBuilder();
                for (byte[] part : t.getStringsAsByteArrays()) {
                    // SPF, DKIM and DMARC records are ASCII; ISO-8859-1 keeps any stray byte visible.
                    joined.append(new String(part, StandardCharsets.ISO_8859_1));
                }
                out.add(joined.toString());
            }
        }
        return out;
    }

    @Override
    public List<InetAddress> a(String name) throws DnsFailure {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : answers(name, Type.A)) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress());
            }
        }
        return out;
    }

    @Override
    public List<InetAddress> aaaa(String name) throws DnsFailure {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : answers(name, Type.AAAA)) {
            if (r instanceof AAAARecord a) {
                out.add(a.getAddress());
            }
        }
        return out;
    }

    @Override
    public List<String> mx(String name) throws DnsFailure {
        List<MXRecord> found = new ArrayList<>();
        for (Record r : answers(name, Type.MX)) {
            if (r instanceof MXRecord m && !m.getTarget().equals(Name.root)) {
                found.add(m);
            }
        }
        found.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<String> out = new ArrayList<>();
        for (MXRecord m : found) {
            out.add(text(m.getTarget()));
        }
        return out;
    }

    @Override
    public List<String> ptr(InetAddress address) throws DnsFailure {
        List<String> out = new ArrayList<>();
        for (Record r : answers(ReverseMap.fromAddress(address), Type.PTR)) {
            if (r instanceof PTRRecord p) {
                out.add(text(p.getTarget()));
            }
        }
        return out;
    }

    private List<Record> answers(String text, int type) throws DnsFailure {
        Name name;
        try {
            name = Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            // Not a name DNS can carry (an empty label or one over 63 octets): nothing lives there.
            return List.of();
        }
        return answers(name, type);
    }

    private List<Record> answers(Name name, int type) throws DnsFailure {
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            throw new DnsFailure(Type.string(type) + " " + text(name) + ": " + e.getMessage(), e);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsFailure(Type.string(type) + " " + text(name) + ": " + Rcode.string(rcode));
        }
        List<Record> out = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                out.add(r);
            }
        }
        return out;
    }

    private static String text(Name name) {
        return name.toString(true);
    }
}
