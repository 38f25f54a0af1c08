package io.sluice.daemon.egress.tls;

import io.sluice.protocol.client.TlsSession;

/**
 * The transport security of one attempt as events record it: {@code tls_policy} (the policy
 * kind's label) and {@code tls}, one of {@code verified} (TLS, certificate checked and good),
 * {@code encrypted} (TLS, certificate not checked: opportunistic), {@code unverified} (TLS, check
 * failed, delivered anyway under MTA-STS testing), {@code none} (clear text) or {@code failed}
 * (TLS could not be had as the policy asks: the attempt was deferred).
 */
public record TlsOutcome(String policy, String result) {

    public static TlsOutcome of(TlsPolicy policy, TlsSession session) {
        String result;
        if (!session.encrypted()) {
            result = "none";
        } else {
            result = switch (session.verification()) {
                case VERIFIED -> "verified";
                case FAILED -> "unverified";
                default -> "encrypted";
            };
        }
        return new TlsOutcome(policy.kind().label(), result);
    }

    public static TlsOutcome failed(TlsPolicy policy) {
        return new TlsOutcome(policy.kind().label(), "failed");
    }
}
