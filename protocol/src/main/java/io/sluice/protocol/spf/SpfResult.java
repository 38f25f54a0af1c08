package io.sluice.protocol.spf;

import java.util.Locale;

/** The seven results of check_host() (RFC 7208 §2.6), written in lower case as the RFC does. */
public enum SpfResult {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** "pass", "softfail", …: the spelling of RFC 7208 and of Received-SPF. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SpfResult ofWord(String word) {
        return valueOf(word.strip().toUpperCase(Locale.ROOT));
    }
}
