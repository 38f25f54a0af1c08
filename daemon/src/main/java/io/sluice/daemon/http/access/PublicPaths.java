package io.sluice.daemon.http.access;

import java.util.List;

/**
 * The endpoints a stranger must reach: RFC 8058 one-click unsubscribe ({@code /u/{token}}) and
 * open/click tracking ({@code /t/o/...}, {@code /t/c/...}). Each is authorised by the HMAC in its
 * own path, never by who asks. Matching is on the raw path, segment-exact, so {@code /u} alone,
 * {@code /ux/...} or {@code /u/../admin} are not public.
 */
public final class PublicPaths {
    private static final List<String> PREFIXES = List.of("/u/", "/t/o/", "/t/c/");

    private PublicPaths() {
    }

    /** Whether a request path (without query) is one of the public endpoints. */
    public static boolean isPublic(String path) {
        if (path == null || path.contains("..") || path.contains("\\")) {
            return false; // no spelling that a router or a proxy might read as another path
        }
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix) && path.length() > prefix.length()) {
                return true;
            }
        }
        return false;
    }
}
