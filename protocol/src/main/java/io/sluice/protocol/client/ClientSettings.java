package io.sluice.protocol.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client behaves towards every server.
 *
 * @param ehloName        the name given in EHLO/HELO; should match the source IP's PTR
 * @param connectTimeout  TCP connect
 * @param greetingTimeout the 220 banner (RFC 5321 §4.5.3.2.1: 5 minutes)
 * @param commandTimeout  replies to EHLO, STARTTLS, MAIL, RCPT, RSET, DATA initiation, QUIT
 *                        (§4.5.3.2.2-4: 5 minutes for MAIL and RCPT, 2 for DATA initiation; one
 *                        value, the longer, keeps the settings small)
 * @param dataTimeout     from the first body byte to the reply after the final dot
 *                        (§4.5.3.2.5-6: 3 minutes per block, 10 minutes for the final reply)
 * @param tls             STARTTLS policy
 * @param serverName      the name sent in SNI and, under a policy, looked for in the certificate
 *                        (the MX host name); null for the address's host string
 * @param authentication  how the certificate is judged ({@link PeerAuthentication#ANY} for
 *                        opportunistic TLS)
 */
public record ClientSettings(String ehloName, Duration connectTimeout, Duration greetingTimeout,
                             Duration commandTimeout, Duration dataTimeout, TlsMode tls,
                             String serverName, PeerAuthentication authentication) {

    /** Settings that take any certificate, with the address's host string as server name. */
    public ClientSettings(String ehloName, Duration connectTimeout, Duration greetingTimeout,
                          Duration commandTimeout, Duration dataTimeout, TlsMode tls) {
        this(ehloName, connectTimeout, greetingTimeout, commandTimeout, dataTimeout, tls, null, PeerAuthentication.ANY);
    }

    public ClientSettings {
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(ehloName, "ehloName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(greetingTimeout, "greetingTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(tls, "tls");
        if (ehloName.isBlank() || ehloName.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("ehloName must be a non-blank name without spaces or controls: " + ehloName);
        }
    }

    /**
     * The RFC 5321 §4.5.3.2 timeouts (minutes: they are what receivers expect of a patient
     * client), a 30 second connect timeout (the RFC sets none) and opportunistic TLS.
     */
    public static ClientSettings defaults(String ehloName) {
        return new ClientSettings(ehloName, Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(10), TlsMode.OPPORTUNISTIC);
    }

    public ClientSettings withTls(TlsMode mode) {
        return new ClientSettings(ehloName, connectTimeout, greetingTimeout, commandTimeout, dataTimeout, mode,
                serverName, authentication);
    }

    /** The same settings towards a named server judged by {@code how} (a transport-security policy). */
    public ClientSettings withPeer(String name, PeerAuthentication how) {
        return new ClientSettings(ehloName, connectTimeout, greetingTimeout, commandTimeout, dataTimeout, tls, name, how);
    }

    /** The same settings with another EHLO name (a source's own name). */
    public ClientSettings withEhloName(String name) {
        return new ClientSettings(name, connectTimeout, greetingTimeout, commandTimeout, dataTimeout, tls,
                serverName, authentication);
    }

    public ClientSettings withTimeouts(Duration connect, Duration greeting, Duration command, Duration data) {
        return new ClientSettings(ehloName, connect, greeting, command, data, tls, serverName, authentication);
    }
}
