package io.sluice.daemon.http.access;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses what a browser can be made to send to the operator listener.
 *
 * <p>DNS rebinding: a page on {@code evil.example} whose name is re-pointed at 127.0.0.1 talks to
 * the listener as its own origin, with {@code Host: evil.example}. So {@code Host} must be a name we
 * were given ({@code sluice.http.allowed-hosts}, the bound host, {@code localhost}) or an IP literal
 * of loopback or of the address the request arrived on: a literal cannot be re-pointed.
 *
 * <p>CSRF: a page elsewhere can make a browser POST here (a form needs no preflight). Browsers send
 * {@code Origin} on every state-changing request, so one that is present and is not this
 * listener's own origin (scheme, and the {@code Host} just checked) is refused, {@code null}
 * included. Clients that are not browsers send no Origin and are not affected.
 */
public final class BrowserGuard {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Set<String> names;

    /** @param names host names (any case) accepted in {@code Host} besides {@code localhost} and IP literals */
    public BrowserGuard(Collection<String> names) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Why this request is refused, or empty when it may go on.
     *
     * @param host   the {@code Host} header, null when absent (HTTP/1.0: not a browser)
     * @param origin the {@code Origin} header, null when absent
     * @param local  the address the request arrived on
     */
    public Optional<String> refusal(String method, String host, String origin, InetAddress local) {
        if (host != null && !acceptedHost(hostPart(host), local)) {
            return Optional.of("Host '" + printable(host) + "' is not a name of this listener;"
                    + " add it to sluice.http.allowed-hosts if it is yours");
        }
        if (origin != null && !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT)) && !sameOrigin(origin, host)) {
            return Optional.of("cross-origin request refused (Origin '" + printable(origin) + "')");
        }
        return Optional.empty();
    }

    private boolean acceptedHost(String host, InetAddress local) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.equals("localhost") || names.contains(host)) {
            return true;
        }
        Optional<InetAddress> literal = literal(host);
        return literal.isPresent() && (literal.get().isLoopbackAddress() || literal.get().equals(local));
    }

    /** An Origin matches when it is http(s) and names exactly the host and port the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI o = new URI(origin.strip());
            String scheme = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            if (o.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return false; // "null", file:, chrome-extension: ...
            }
            int port = o.getPort() != -1 ? o.getPort() : scheme.equals("https") ? 443 : 80;
            String h = host.strip().toLowerCase(Locale.ROOT);
            int hostPort = portOf(h, scheme);
            return o.getHost().toLowerCase(Locale.ROOT).equals(hostPart(h)) && port == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The host of a Host header, lower case, without port; an IPv6 literal keeps its brackets. */
    static String hostPart(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static int portOf(String host, String scheme) {
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        if (colon > close) {
            try {
                return Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return scheme.equals("https") ? 443 : 80;
    }

    /** An IPv4 dotted quad or a bracketed IPv6 literal; never a name (no lookup is made). */
    private static Optional<InetAddress> literal(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
            if (!h.matches("[0-9a-f:.]+")) {
                return Optional.empty();
            }
        } else if (!h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
