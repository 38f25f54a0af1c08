package io.sluice.daemon.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * The authenticated submission listener ({@code sluice.submission.*}, RFC 6409): STARTTLS, then
 * AUTH PLAIN/LOGIN, then relay. Users are {@code sluice.submission.users.<name>.*}
 * ({@link SubmissionUser}).
 *
 * @param enabled         whether the listener runs at all
 * @param tlsCert         PEM certificate chain; empty: a self-signed one is made at start (dev)
 * @param tlsKey          PEM private key (PKCS#1 or PKCS#8) for {@code tlsCert}
 * @param allowSelfSigned whether the listener may run off loopback without {@code tlsCert}, on a
 *                        self-signed certificate (a private relay whose clients pin it); without
 *                        it that is a config error naming {@code sluice.submission.tls-cert}
 */
@ConfigurationProperties("sluice.submission")
public record SubmissionSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "127.0.0.1") @NotBlank String bind,
        @Bindable(defaultValue = "2587") @Min(0) @Max(65535) int port,
        @Bindable(defaultValue = "") String tlsCert,
        @Bindable(defaultValue = "") String tlsKey,
        @Bindable(defaultValue = "50MB") @ReadableBytes @Min(1024) @Max(200L * 1024 * 1024) long maxMessageBytes,
        @Bindable(defaultValue = "1000") @Min(1) int maxRecipients,
        @Bindable(defaultValue = "1000") @Min(1) int maxConnections,
        @Bindable(defaultValue = "5m") Duration connectionTimeout,
        @Bindable(defaultValue = "false") boolean allowSelfSigned) {

    public SubmissionSettings {
        // issue 18 item 13: passwords sent under a certificate no client can check are as good as
        // sent in clear to whoever sits in between; only loopback, or an operator who says so
        if (enabled && (tlsCert == null || tlsCert.isBlank()) && !allowSelfSigned && !loopback(bind)) {
            throw new ConfigException("sluice.submission.tls-cert", "",
                    "needed when sluice.submission.bind (" + bind + ") is not a loopback address: AUTH would run under"
                            + " a self-signed certificate; set tls-cert and tls-key, or sluice.submission.allow-self-signed: true"
                            + " for a private relay whose clients pin that certificate");
        }
    }

    private static boolean loopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
