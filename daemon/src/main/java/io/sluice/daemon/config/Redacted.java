package io.sluice.daemon.config;

import java.util.regex.Pattern;

/**
 * URIs as they may be shown in logs and config errors (issue 18 item 13): the user-info part
 * ({@code redis://:password@host}, {@code https://user:token@host}) and the values of query
 * parameters that carry credentials ({@code ?token=}, {@code key=}, {@code secret=},
 * {@code password=}, {@code sig=}, {@code signature=}, {@code auth=}, {@code access_token=}) are
 * replaced by {@code ***}; scheme, host, port and path stay, so the operator still sees where.
 */
public final class Redacted {
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");
    private static final Pattern SECRET_PARAMS = Pattern.compile(
            "(?i)([?&;](?:[a-z0-9_.-]*(?:token|key|secret|password|passwd|pwd|sig|signature|auth|credential)[a-z0-9_.-]*)=)[^&;#]*");

    private Redacted() {
    }

    /** The URI with its credentials replaced by {@code ***}; null stays null. */
    public static String uri(String uri) {
        if (uri == null) {
            return null;
        }
        String out = USER_INFO.matcher(uri).replaceFirst("$1***@");
        return SECRET_PARAMS.matcher(out).replaceAll("$1***");
    }
}
