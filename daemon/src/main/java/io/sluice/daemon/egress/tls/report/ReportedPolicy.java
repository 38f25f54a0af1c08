package io.sluice.daemon.egress.tls.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The policy a session was held to, as RFC 8460 §4.4 reports it: one entry of {@code policies[]}.
 *
 * @param policyDomain  the recipient domain whose policy it is (lower case)
 * @param type          sts, tlsa or no-policy-found
 * @param policyStrings the MTA-STS policy's lines, or the TLSA records in presentation form; empty
 *                      for no-policy-found
 * @param mxHost        the MX host (tlsa) or the policy's mx pattern (sts); may be empty
 */
public record ReportedPolicy(String policyDomain, PolicyType type, List<String> policyStrings, String mxHost) {
    public ReportedPolicy {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(type, "type");
        policyDomain = policyDomain.strip().toLowerCase(Locale.ROOT);
        if (policyDomain.endsWith(".")) {
            policyDomain = policyDomain.substring(0, policyDomain.length() - 1);
        }
        if (policyDomain.isEmpty()) {
            throw new IllegalArgumentException("empty policy domain");
        }
        policyStrings = List.copyOf(policyStrings);
        mxHost = mxHost == null ? "" : mxHost.strip().toLowerCase(Locale.ROOT);
    }
}
