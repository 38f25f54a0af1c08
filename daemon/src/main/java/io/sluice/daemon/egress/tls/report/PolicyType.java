package io.sluice.daemon.egress.tls.report;

import java.util.Locale;

/** The {@code policy-type} of RFC 8460 §4.3: which policy applied to the sessions counted. */
public enum PolicyType {
    STS("sts"),
    TLSA("tlsa"),
    NO_POLICY_FOUND("no-policy-found");

    private final String wire;

    PolicyType(String wire) {
        this.wire = wire;
    }

    /** The name in the report's JSON. */
    public String wire() {
        return wire;
    }

    public static PolicyType fromWire(String name) {
        for (PolicyType t : values()) {
            if (t.wire.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown policy-type " + name);
    }
}
