package io.sluice.daemon.egress.tls.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _mta-sts.DOMAIN} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=...;}. Only its id
 * matters to a sender: a new id says the policy changed and is fetched again.
 */
public record StsRecord(String id) {

    /**
     * The STS record among a name's TXT strings (each record's strings already joined), or empty
     * when there is none, or more than one (§3.1: then the domain has no policy), or it is malformed.
     */
    public static Optional<StsRecord> among(List<String> txtRecords) {
        List<String> sts = new ArrayList<>();
        for (String txt : txtRecords) {
            if (txt.startsWith("v=STSv1;") || txt.equals("v=STSv1")) {
                sts.add(txt);
            }
        }
        if (sts.size() != 1) {
            return Optional.empty();
        }
        return parse(sts.get(0));
    }

    static Optional<StsRecord> parse(String txt) {
        String id = null;
        String[] fields = txt.split(";");
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            if (field.substring(0, eq).strip().equals("id")) {
                id = field.substring(eq + 1).strip();
            }
        }
        // §3.1: id is 1 to 32 letters and digits
        if (id == null || id.isEmpty() || id.length() > 32 || !id.chars().allMatch(Character::isLetterOrDigit)
                || !id.chars().allMatch(c -> c < 128)) {
            return Optional.empty();
        }
        return Optional.of(new StsRecord(id));
    }
}
