package io.sluice.daemon.deliverability.doctor;

import java.util.Locale;

/**
 * How one check came out. {@code UNKNOWN} is for DNS that gave no definite answer (SERVFAIL, a
 * timeout, a block list's error answer): the doctor never turns "could not tell" into "fail".
 */
public enum Verdict {
    PASS, WARN, UNKNOWN, FAIL;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
