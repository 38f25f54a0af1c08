package io.sluice.daemon.deliverability.doctor;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Locale;

/**
 * How one check came out. {@code UNKNOWN} is for DNS that gave no definite answer (SERVFAIL, a
 * timeout, a block list's error answer): the doctor never turns "could not tell" into "fail".
 */
@Serdeable
public enum Verdict {
    PASS, WARN, UNKNOWN, FAIL;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
