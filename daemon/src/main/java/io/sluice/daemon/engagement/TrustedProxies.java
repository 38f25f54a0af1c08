package io.sluice.daemon.engagement;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.net.PrefixTable;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address an HTTP client has, as far as Sluice can tell: the TCP peer, unless the peer is one
 * of {@code sluice.http.trusted-proxies} (CIDR blocks, default none), in which case
 * {@code X-Forwarded-For} is read from its right end, hop by hop, while the hop that reported an
 * address is itself trusted. A client cannot make itself look like someone else by sending the
 * header: what an untrusted peer says is ignored, and so is whatever lies left of the first
 * untrusted address. Used for classification only (tracking's Apple rule); never stored. Lives
 * with tracking, its only user: the HTTP access rules never trust a forwarded address.
 */
@Singleton
public final class TrustedProxies {
    static final String KEY = "sluice.http.trusted-proxies";
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern V4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d+");
    private static final Pattern V6_BRACKETS = Pattern.compile("\\[([0-9a-fA-F:.]+)](?::\\d+)?");

    private final PrefixTable trusted;

    public TrustedProxies(@Nullable @Value("${" + KEY + ":}") List<String> trusted) {
        PrefixTable.Builder b = new PrefixTable.Builder();
        for (String raw : trusted == null ? List.<String>of() : trusted) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                b.add(entry);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(KEY, entry, e.getMessage() + " (IP literals only, e.g. 127.0.0.1/32)");
            }
        }
        this.trusted = b.build();
    }

    /** The client of {@code request}; null when the peer is unknown. */
    public @Nullable InetAddress client(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        return client(peer == null ? null : peer.getAddress(), request.getHeaders().getAll("X-Forwarded-For"));
    }

    /** The client, given the TCP peer and every X-Forwarded-For field in order. */
    @Nullable InetAddress client(@Nullable InetAddress peer, List<String> forwardedFor) {
        if (peer == null || !trusted.contains(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String field : forwardedFor) {
            for (String hop : field.split(",")) {
                hops.add(hop.strip());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0 && trusted.contains(client); i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break; // garbage from a trusted proxy's client: the last address a trusted hop saw stands
            }
            client = hop;
        }
        return client;
    }

    /* An IP literal, as proxies write them (v4, v4:port, v6, [v6]:port); null for anything else. */
    private static @Nullable InetAddress literal(String hop) {
        String s = hop;
        java.util.regex.Matcher m = V4_PORT.matcher(s);
        if (m.matches()) {
            s = m.group(1);
        } else if ((m = V6_BRACKETS.matcher(s)).matches()) {
            s = m.group(1);
        }
        // literals only: a name here would make InetAddress ask DNS
        boolean ok = s.contains(":") ? LITERAL.matcher(s).matches() : s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!ok) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
