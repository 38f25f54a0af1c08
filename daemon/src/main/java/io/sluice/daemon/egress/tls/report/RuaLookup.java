package io.sluice.daemon.egress.tls.report;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Looks up where a domain wants its reports: the TXT record at {@code _smtp._tls.<domain>}. */
public final class RuaLookup implements RuaSource {
    private final Resolver resolver;

    /** @param servers the resolvers to ask; empty means those of the system */
    public RuaLookup(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.size() == 1) {
            SimpleResolver simple = new SimpleResolver(servers.get(0));
            simple.setTimeout(timeout);
            resolver = simple;
        } else {
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress s : servers) {
                SimpleResolver simple = new SimpleResolver(s);
                simple.setTimeout(timeout);
                each.add(simple);
            }
            ExtendedResolver extended = servers.isEmpty() ? new ExtendedResolver() : new ExtendedResolver(each);
            extended.setTimeout(timeout);
            resolver = extended;
        }
    }

    /**
     * The domain's reporting policy; empty when it publishes none (NXDOMAIN, NODATA, not exactly one
     * TLSRPTv1 record). Throws when the lookup itself fails, so the caller tries again later.
     */
    @Override
    public Optional<ReportingPolicy> lookup(String policyDomain) throws IOException {
        Name name;
        try {
            name = Name.fromString("_smtp._tls." + policyDomain + ".");
        } catch (TextParseException e) {
            return Optional.empty();
        }
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return Optional.empty();
        }
        if (rcode != Rcode.NOERROR) {
            throw new IOException("TXT " + name + ": " + Rcode.string(rcode));
        }
        List<String> records = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt && r.getName().equals(name)) {
                records.add(String.join("", txt.getStrings())); // RFC 8460 §3: strings are concatenated
            }
        }
        return ReportingPolicy.fromTxt(records);
    }
}
