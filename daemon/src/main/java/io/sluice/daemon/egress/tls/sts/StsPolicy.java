package io.sluice.daemon.egress.tls.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An MTA-STS policy as published at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}
 * (RFC 8461 §3.2), parsed strictly: {@code version: STSv1}, a {@code mode} of enforce, testing or
 * none, {@code max_age} in seconds (at most 31557600), and at least one {@code mx} pattern unless
 * the mode is none. Unknown keys are ignored, as the RFC asks.
 *
 * @param text the policy as fetched (kept on disk and given to TLS-RPT as the policy string)
 */
public record StsPolicy(Mode mode, List<String> mx, long maxAgeSeconds, String text) {
    /** RFC 8461 §3.2: max_age up to 31557600 (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    public enum Mode {
        ENFORCE, TESTING, NONE
    }

    public StsPolicy {
        mx = List.copyOf(mx);
    }

    /** Parses a policy body; {@link IllegalArgumentException} says what is wrong (sts-policy-invalid). */
    public static StsPolicy parse(String text) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a 'key: value' line: " + printable(line));
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = once(version, value, key);
                case "mode" -> mode = once(mode, mode(value), key);
                case "max_age" -> maxAge = once(maxAge, maxAge(value), key);
                case "mx" -> mx.add(pattern(value));
                default -> {
                    // RFC 8461 §3.2: fields not defined here are ignored
                }
            }
        }
        if (!"STSv1".equals(version)) {
            throw new IllegalArgumentException("version must be STSv1, not " + (version == null ? "absent" : printable(version)));
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is missing");
        }
        if (maxAge == null) {
            throw new IllegalArgumentException("max_age is missing");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            throw new IllegalArgumentException("no mx pattern in a policy of mode " + mode.name().toLowerCase(Locale.ROOT));
        }
        return new StsPolicy(mode, mx, maxAge, text);
    }

    /** Whether an MX host name is one the policy lists (RFC 8461 §4.1: a wildcard stands for one label). */
    public boolean allows(String mxHost) {
        String host = normalise(mxHost);
        for (String pattern : mx) {
            if (pattern.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot).equals(pattern.substring(1))) {
                    return true;
                }
            } else if (pattern.equals(host)) {
                return true;
            }
        }
        return false;
    }

    /** The policy's lines without blanks: TLS-RPT's {@code policy-string}. */
    public List<String> lines() {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static Mode mode(String value) {
        return switch (value) {
            case "enforce" -> Mode.ENFORCE;
            case "testing" -> Mode.TESTING;
            case "none" -> Mode.NONE;
            default -> throw new IllegalArgumentException("mode must be enforce, testing or none, not " + printable(value));
        };
    }

    private static long maxAge(String value) {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("max_age is not a number of seconds: " + printable(value));
        }
        long seconds = Long.parseLong(value);
        if (seconds > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("max_age " + seconds + " is over " + MAX_AGE_LIMIT);
        }
        return seconds;
    }

    private static String pattern(String value) {
        String p = normalise(value);
        String rest = p.startsWith("*.") ? p.substring(2) : p;
        if (rest.isEmpty() || rest.indexOf('*') >= 0 || !rest.matches("[a-z0-9._-]+") || rest.startsWith(".")
                || rest.contains("..")) {
            throw new IllegalArgumentException("not an mx pattern: " + printable(value));
        }
        return p;
    }

    private static <T> T once(T old, T value, String key) {
        if (old != null) {
            throw new IllegalArgumentException(key + " given twice");
        }
        return value;
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
