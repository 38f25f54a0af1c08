package io.sluice.daemon.egress.tls.report;

import java.io.IOException;
import java.util.Optional;

/** Where a domain wants its reports ({@link RuaLookup} asks DNS). */
@FunctionalInterface
public interface RuaSource {
    /** Empty when the domain takes no reports; throws when that cannot be known now. */
    Optional<ReportingPolicy> lookup(String policyDomain) throws IOException;
}
