package io.sluice.daemon.deliverability.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A DMARC policy record (RFC 7489 §6.3), with the DMARCbis {@code psd} tag for the tree walk.
 *
 * @param policy       p=: none, quarantine or reject
 * @param strictDkim   adkim=s
 * @param strictSpf    aspf=s
 * @param aggregate    rua= URIs
 * @param psd          psd=y/n, or empty when absent (DMARCbis)
 */
record DmarcRecord(String policy, Optional<String> subdomainPolicy, boolean strictDkim, boolean strictSpf,
                   List<String> aggregate, Optional<Boolean> psd) {

    static boolean isDmarc(String txt) {
        return txt.startsWith("v=DMARC1") && (txt.length() == 8 || txt.charAt(8) == ';' || txt.charAt(8) == ' ');
    }

    /** Parses a record whose first tag is v=DMARC1; IllegalArgumentException names the bad tag. */
    static DmarcRecord parse(String txt) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : txt.split(";")) {
            String t = part.strip();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + t + "' is not a tag=value pair");
            }
            tags.putIfAbsent(t.substring(0, eq).strip().toLowerCase(Locale.ROOT), t.substring(eq + 1).strip());
        }
        if (!"DMARC1".equals(tags.get("v"))) {
            throw new IllegalArgumentException("the first tag must be v=DMARC1");
        }
        String p = tags.get("p");
        if (p == null) {
            throw new IllegalArgumentException("no p= tag (policy)");
        }
        p = policy("p", p);
        Optional<String> sp = tags.containsKey("sp") ? Optional.of(policy("sp", tags.get("sp"))) : Optional.empty();
        boolean adkim = alignment("adkim", tags.getOrDefault("adkim", "r"));
        boolean aspf = alignment("aspf", tags.getOrDefault("aspf", "r"));
        List<String> rua = new ArrayList<>();
        if (tags.containsKey("rua")) {
            for (String uri : tags.get("rua").split(",")) {
                String u = uri.strip();
                if (!u.toLowerCase(Locale.ROOT).startsWith("mailto:") || u.indexOf('@') < 0) {
                    throw new IllegalArgumentException("rua= '" + u + "' is not a mailto: URI");
                }
                rua.add(u);
            }
        }
        if (tags.containsKey("pct")) {
            String pct = tags.get("pct");
            if (!pct.matches("\\d{1,3}") || Integer.parseInt(pct) > 100) {
                throw new IllegalArgumentException("pct= '" + pct + "' is not 0 to 100");
            }
        }
        Optional<Boolean> psd = Optional.empty();
        if (tags.containsKey("psd")) {
            String v = tags.get("psd").toLowerCase(Locale.ROOT);
            if (v.equals("y") || v.equals("n")) {
                psd = Optional.of(v.equals("y"));
            } else if (!v.equals("u")) {
                throw new IllegalArgumentException("psd= '" + v + "' is not y, n or u");
            }
        }
        return new DmarcRecord(p, sp, adkim, aspf, List.copyOf(rua), psd);
    }

    private static String policy(String tag, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("none") && !v.equals("quarantine") && !v.equals("reject")) {
            throw new IllegalArgumentException(tag + "= '" + value + "' is not none, quarantine or reject");
        }
        return v;
    }

    private static boolean alignment(String tag, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("r") && !v.equals("s")) {
            throw new IllegalArgumentException(tag + "= '" + value + "' is not r or s");
        }
        return v.equals("s");
    }
}
