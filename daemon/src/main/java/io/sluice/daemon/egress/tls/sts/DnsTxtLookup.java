package io.sluice.daemon.egress.tls.sts;

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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TXT lookups through dnsjava, asking the servers of {@code sluice.dns.servers} (the system's when
 * empty), as MX lookups do.
 */
public final class DnsTxtLookup implements TxtLookup {
    private final Resolver resolver;

    public DnsTxtLookup(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.size() == 1) {
            SimpleResolver simple = new SimpleResolver(servers.get(0));
            simple.setTimeout(timeout);
            resolver = simple;
        } else {
            ExtendedResolver extended;
            if (servers.isEmpty()) {
                extended = new ExtendedResolver();
            } else {
                List<Resolver> each = new ArrayList<>();
                for (InetSocketAddress server : servers) {
                    SimpleResolver simple = new SimpleResolver(server);
                    simple.setTimeout(timeout);
                    each.add(simple);
                }
                extended = new ExtendedResolver(each);
            }
            extended.setTimeout(timeout);
            resolver = extended;
        }
    }

    @Override
    public Answer lookup(String name) {
        Message response;
        try {
            Name qname = Name.fromString(name.endsWith(".") ? name : name + ".");
            response = resolver.send(Message.newQuery(Record.newRecord(qname, Type.TXT, DClass.IN)));
        } catch (TextParseException e) {
            return new Answer.Failed("not a DNS name: " + name);
        } catch (IOException e) {
            return new Answer.Failed("TXT lookup for " + name + " failed: " + e.getMessage());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer.Records(List.of());
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer.Failed("TXT lookup for " + name + ": " + Rcode.string(rcode));
        }
        List<String> texts = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt) {
                // the raw bytes: getStrings() gives presentation form, with quotes and backslashes escaped
                StringBuilder joined = new StringBuilder();
                for (byte[] part : txt.getStringsAsByteArrays()) {
                    joined.append(new String(part, java.nio.charset.StandardCharsets.UTF_8));
                }
                texts.add(joined.toString());
            }
        }
        return new Answer.Records(texts);
    }
}
