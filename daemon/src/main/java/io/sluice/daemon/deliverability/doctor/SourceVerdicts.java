package io.sluice.daemon.deliverability.doctor;

import java.util.List;
import java.util.function.Consumer;

/**
 * The doctor's latest per-source verdicts (reverse DNS, block lists, address plumbed), for
 * whatever acts on them (automatic suspension is opt-in and lives elsewhere). A listener hears
 * each change of a source's verdict on one check, after the SourceHealth event is published.
 */
public interface SourceVerdicts {

    /** One source's verdict on one check ({@code fcrdns}, {@code source-address}, {@code dnsbl:ZONE}). */
    record SourceVerdict(String source, String address, String check, Verdict verdict, String detail) {
        /** A verdict that means the source should not send: a forward-confirmed reverse DNS failure, a listing, an address not here. */
        public boolean unhealthy() {
            return verdict == Verdict.FAIL;
        }
    }

    /** The latest verdict of every source on every per-source check the doctor has run. */
    List<SourceVerdict> current();

    void onChange(Consumer<SourceVerdict> listener);
}
