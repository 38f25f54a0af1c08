package io.sluice.daemon.egress.tls;

import io.sluice.protocol.client.PeerAuthentication;
import io.sluice.protocol.client.TlsMode;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The transport security one delivery gets, decided before connecting: what kind of policy it
 * is, whether TLS is mandatory, how the server is authenticated, and which policy domain it
 * answers to (the recipient domain for MTA-STS and DANE; TLS-RPT reports per policy domain).
 *
 * @param kind           where the policy comes from
 * @param policyDomain   the domain whose policy this is; null for a rule or the default
 * @param authentication how the certificate is judged
 * @param policyStrings  what the policy said, for TLS-RPT's {@code policy-string} (the MTA-STS
 *                       policy's lines, the TLSA records); empty when there is none
 */
public record TlsPolicy(Kind kind, String policyDomain, PeerAuthentication authentication, List<String> policyStrings) {

    /** Where a policy comes from; {@link #label()} is the {@code tls_policy} of events. */
    public enum Kind {
        /** TLS is never tried (a provider rule or {@code sluice.delivery.tls: none}). */
        NONE("none"),
        /** STARTTLS when offered, any certificate, clear text otherwise (RFC 7435). */
        OPPORTUNISTIC("opportunistic"),
        /** A provider rule (or the default) says {@code tls: required}: TLS with a Web PKI check. */
        REQUIRED("required"),
        /** MTA-STS {@code mode: testing}: checked and reported, delivered whatever the result. */
        MTA_STS_TESTING("mta-sts-testing"),
        /** MTA-STS {@code mode: enforce}: TLS with a Web PKI check to a listed MX, or no delivery. */
        MTA_STS_ENFORCE("mta-sts-enforce"),
        /** DANE (RFC 7672): TLS judged by the TLSA records. */
        DANE("dane");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TlsPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(authentication, "authentication");
        policyStrings = policyStrings == null ? List.of() : List.copyOf(policyStrings);
        if ((kind == Kind.NONE || kind == Kind.OPPORTUNISTIC) && !(authentication instanceof PeerAuthentication.Any)) {
            throw new IllegalArgumentException(kind.label() + " never authenticates the peer");
        }
        if (policyDomain != null) {
            policyDomain = policyDomain.toLowerCase(Locale.ROOT);
        }
    }

    public static final TlsPolicy OPPORTUNISTIC = new TlsPolicy(Kind.OPPORTUNISTIC, null, PeerAuthentication.ANY, List.of());
    public static final TlsPolicy NONE = new TlsPolicy(Kind.NONE, null, PeerAuthentication.ANY, List.of());
    public static final TlsPolicy REQUIRED = new TlsPolicy(Kind.REQUIRED, null, new PeerAuthentication.WebPki(true), List.of());

    /** The policy of a provider rule's (or the default's) {@code tls} setting. */
    public static TlsPolicy ofRule(TlsMode mode) {
        return switch (mode) {
            case NONE -> NONE;
            case OPPORTUNISTIC -> OPPORTUNISTIC;
            case REQUIRED -> REQUIRED;
        };
    }

    /** An MTA-STS policy of {@code domain}; {@code enforce} false for {@code mode: testing}. */
    public static TlsPolicy mtaSts(String domain, boolean enforce, List<String> policyLines) {
        return new TlsPolicy(enforce ? Kind.MTA_STS_ENFORCE : Kind.MTA_STS_TESTING, domain,
                new PeerAuthentication.WebPki(enforce), policyLines);
    }

    /** Whether the delivery must not go out in clear. */
    public boolean tlsRequired() {
        return kind == Kind.REQUIRED || kind == Kind.MTA_STS_ENFORCE || kind == Kind.DANE;
    }

    /** The client's STARTTLS mode for this policy. */
    public TlsMode tlsMode() {
        if (kind == Kind.NONE) {
            return TlsMode.NONE;
        }
        return tlsRequired() ? TlsMode.REQUIRED : TlsMode.OPPORTUNISTIC;
    }

    /** The policy type of TLS-RPT (RFC 8460 §4.3): {@code sts}, {@code tlsa} or {@code no-policy-found}. */
    public TlsResult.PolicyType reportType() {
        return switch (kind) {
            case MTA_STS_TESTING, MTA_STS_ENFORCE -> TlsResult.PolicyType.STS;
            case DANE -> TlsResult.PolicyType.TLSA;
            default -> TlsResult.PolicyType.NO_POLICY_FOUND;
        };
    }

    /** True for a policy a domain published (MTA-STS, DANE), as opposed to a rule of ours. */
    public boolean published() {
        return reportType() != TlsResult.PolicyType.NO_POLICY_FOUND;
    }
}
