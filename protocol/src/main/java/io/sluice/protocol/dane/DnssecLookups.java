package io.sluice.protocol.dane;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;

/**
 * DNS queries whose answers come with their DNSSEC state. Two real ways exist: validating here
 * with dnsjava ({@link ValidatingLookups}), or trusting the AD bit of a validating resolver on
 * loopback ({@link AdBitLookups}).
 */
public interface DnssecLookups {

    /** Never completes exceptionally: trouble is a {@link Security#FAILED} answer. */
    CompletableFuture<DnssecAnswer> query(Name name, int type);

    /** The zones validation starts from (the root, or a test zone), for the root health probe. */
    List<Name> anchorZones();
}
