package io.sluice.daemon.egress.tls.sts;

import java.util.List;

/** TXT records of a name, each record's strings joined. Blocking. */
@FunctionalInterface
public interface TxtLookup {

    /** What DNS said. */
    sealed interface Answer {
        /** The records found (an empty list for NODATA or NXDOMAIN). */
        record Records(List<String> texts) implements Answer {
        }

        /** DNS did not answer usefully (timeout, SERVFAIL): nothing can be concluded. */
        record Failed(String reason) implements Answer {
        }
    }

    Answer lookup(String name);
}
