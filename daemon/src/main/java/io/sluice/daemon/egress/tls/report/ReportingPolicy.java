package io.sluice.daemon.egress.tls.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's TLSRPT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:…,https://…} at
 * {@code _smtp._tls.<domain>}. Only {@code mailto:} and {@code https:} addresses are kept.
 */
public record ReportingPolicy(List<URI> rua) {
    private static final String VERSION = "v=TLSRPTv1";

    public ReportingPolicy {
        rua = List.copyOf(rua);
    }

    /**
     * The policy of a domain's TXT strings (one entry per TXT record, its strings joined). Records
     * not starting with {@code v=TLSRPTv1} are ignored; unless exactly one remains, the domain does
     * not take reports (§3), and neither does one without a usable rua.
     */
    public static Optional<ReportingPolicy> fromTxt(List<String> records) {
        List<String> ours = records.stream().map(String::strip)
                .filter(r -> r.regionMatches(true, 0, VERSION, 0, VERSION.length())
                        && (r.length() == VERSION.length() || r.charAt(VERSION.length()) == ';'
                        || Character.isWhitespace(r.charAt(VERSION.length()))))
                .toList();
        if (ours.size() != 1) {
            return Optional.empty();
        }
        List<URI> rua = new ArrayList<>();
        for (String field : ours.get(0).split(";")) {
            String f = field.strip();
            int eq = f.indexOf('=');
            if (eq < 0 || !f.substring(0, eq).strip().equalsIgnoreCase("rua")) {
                continue;
            }
            for (String raw : f.substring(eq + 1).split(",")) {
                String u = raw.strip();
                try {
                    URI uri = new URI(u);
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    if ((scheme.equals("mailto") && uri.getSchemeSpecificPart().contains("@"))
                            || (scheme.equals("https") && uri.getHost() != null)) {
                        rua.add(uri);
                    }
                } catch (URISyntaxException ignored) {
                    // an address we cannot use; the others still may be
                }
            }
        }
        return rua.isEmpty() ? Optional.empty() : Optional.of(new ReportingPolicy(rua));
    }
}
