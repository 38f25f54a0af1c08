package io.sluice.daemon.deliverability.doctor;

import io.sluice.protocol.dns.DnsFailure;
import io.sluice.protocol.dns.RecordLookup;
import java.util.ArrayList;
import java.util.List;

/** Finds the DMARC record at {@code _dmarc.DOMAIN}, telling "none", "invalid" and "could not tell" apart. */
final class DmarcLookup {

    sealed interface Answer permits Found, Absent, Invalid, Unanswered {}

    record Found(String domain, DmarcRecord record, String text) implements Answer {}

    record Absent(String domain) implements Answer {}

    record Invalid(String domain, String problem, String text) implements Answer {}

    record Unanswered(String domain, String problem) implements Answer {}

    private final RecordLookup dns;

    DmarcLookup(RecordLookup dns) {
        this.dns = dns;
    }

    /** The record published exactly at {@code _dmarc.domain}, without fallback. */
    Answer at(String domain) {
        List<String> records = new ArrayList<>();
        try {
            for (String txt : dns.txt("_dmarc." + domain)) {
                if (DmarcRecord.isDmarc(txt)) {
                    records.add(txt);
                }
            }
        } catch (DnsFailure e) {
            return new Unanswered(domain, e.getMessage());
        }
        if (records.isEmpty()) {
            return new Absent(domain);
        }
        if (records.size() > 1) {
            // RFC 7489 §6.6.3: more than one record means none applies.
            return new Invalid(domain, records.size() + " DMARC records (receivers then apply none)", records.get(0));
        }
        try {
            return new Found(domain, DmarcRecord.parse(records.get(0)), records.get(0));
        } catch (IllegalArgumentException e) {
            return new Invalid(domain, e.getMessage(), records.get(0));
        }
    }

    /** RFC 7489 §6.6.3: the domain's own record, else its organisational domain's. */
    Answer policyFor(String domain, String organisational) {
        Answer own = at(domain);
        if (own instanceof Absent && !organisational.equals(domain)) {
            return at(organisational);
        }
        return own;
    }
}
