package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * Time and drain bounds both SMTP listeners share ({@code sluice.limits.*}, issue 18 item 6):
 * the idle timeout alone lets a client that sends one byte a minute hold a session for ever.
 *
 * @param dataTimeout       a DATA or BDAT transfer that has not ended this long after it began
 *                          gets {@code 421 4.4.2} and the connection is closed
 * @param sessionTimeout    a session still open this long after connect gets {@code 421 4.4.2}
 *                          and is closed, whatever it is doing
 * @param oversizeDrain     past the message size limit, at most this many more octets are read
 *                          and discarded looking for the end of the message; beyond,
 *                          {@code 552 5.3.4} and the connection is closed
 * @param oversizeDrainTime likewise, at most this long
 */
@ConfigurationProperties("sluice.limits")
public record SmtpDeadlineSettings(
        @Bindable(defaultValue = "10m") Duration dataTimeout,
        @Bindable(defaultValue = "1h") Duration sessionTimeout,
        @Bindable(defaultValue = "10MB") @ReadableBytes @Min(0) long oversizeDrain,
        @Bindable(defaultValue = "30s") Duration oversizeDrainTime) {

    public SmtpDeadlineSettings {
        positive("sluice.limits.data-timeout", dataTimeout);
        positive("sluice.limits.session-timeout", sessionTimeout);
        positive("sluice.limits.oversize-drain-time", oversizeDrainTime);
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(key, String.valueOf(d), "a positive duration, e.g. 10m");
        }
    }
}
