package io.sluice.daemon.ingress.compliance;

import java.util.Locale;

/** What the compliance gate does with marketing mail that breaks a rule. */
public enum GateMode {
    /** Accept it and emit a {@code ComplianceGate} event naming the rules. */
    REPORT,
    /** Add what is missing where Sluice can (Date, Message-ID, its own List-Unsubscribe pair); refuse the rest. */
    FIX,
    /** Refuse it: 550 5.7.1 at the end of DATA, HTTP 422. */
    ENFORCE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** null for an unknown name */
    static GateMode parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "report" -> REPORT;
            case "fix" -> FIX;
            case "enforce" -> ENFORCE;
            default -> null;
        };
    }
}
