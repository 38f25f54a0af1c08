package io.sluice.daemon.config;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * The public HTTP listener and the names the operator listener answers to (issue 18 item 2).
 *
 * <p>{@code sluice.http.public.port} (off unless set) opens a second listener that serves only the
 * endpoints strangers must reach: one-click unsubscribe and open/click tracking
 * ({@code http.access.PublicPaths}). It is where a TLS reverse proxy for the public
 * {@code https://} URL should point, so that nothing it forwards can reach {@code /admin},
 * {@code /api} or {@code /prometheus}.
 *
 * <p>{@code sluice.http.allowed-hosts} adds names a browser may use in {@code Host} for the
 * operator listener (DNS rebinding defence); IP literals of loopback and of the listener's own
 * address, and {@code localhost}, are always accepted.
 */
@Singleton
public final class PublicListenerSettings {
    private final String host;
    private final int port;
    private final List<String> allowedHosts;

    public PublicListenerSettings(@Value("${sluice.http.public.host:127.0.0.1}") String host,
                                  @Value("${sluice.http.public.port:0}") int port,
                                  @Value("${micronaut.server.port:8025}") int operatorPort,
                                  @Nullable @Value("${sluice.http.allowed-hosts:}") List<String> allowedHosts) {
        if (port < 0 || port > 65535) {
            throw new ConfigException("sluice.http.public.port", String.valueOf(port), "a TCP port, 1 to 65535 (unset: no public listener)");
        }
        if (port != 0 && port == operatorPort) {
            throw new ConfigException("sluice.http.public.port", String.valueOf(port),
                    "must differ from micronaut.server.port: the public listener is told apart by its port");
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException("sluice.http.public.host", host, "not an address this host can bind");
        }
        this.host = host;
        this.port = port;
        this.allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream()
                .map(String::strip).filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(Locale.ROOT)).toList();
        for (String h : this.allowedHosts) {
            if (!h.matches("[a-z0-9.\\-\\[\\]:]+")) {
                throw new ConfigException("sluice.http.allowed-hosts", h, "a host name or IP literal, without scheme or path");
            }
        }
    }

    /** Whether the public listener is configured. */
    public boolean enabled() {
        return port != 0;
    }

    public String host() {
        return host;
    }

    /** The public listener's port; 0 when there is none. */
    public int port() {
        return port;
    }

    /** Extra names (lower case) accepted in {@code Host} on the operator listener. */
    public List<String> allowedHosts() {
        return allowedHosts;
    }
}
