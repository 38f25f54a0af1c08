package io.sluice.daemon.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Who fetched a pixel or followed a link, by stated rules, so machine traffic is not counted as a
 * person's. Only the class is kept, never the user agent or the address. Rules, in order:
 * <ol>
 *   <li>a HEAD request: {@code head-request} (scanners check links without loading them);</li>
 *   <li>a user agent of Apple Mail Privacy Protection's proxy (exactly {@code Mozilla/5.0}, which
 *       Apple's proxy sends and no real browser does), or an open from an address in Apple's
 *       published egress ranges ({@link AppleEgressRanges}): {@code apple-mpp}. Not a click from
 *       those ranges: iCloud Private Relay sends Safari users' own clicks from the same
 *       addresses;</li>
 *   <li>a user agent naming a bot, crawler, scanner or HTTP library: {@code bot};</li>
 *   <li>a click within {@code sluice.tracking.scanner-window} of sending: {@code too-soon};</li>
 *   <li>clicks on several different links of one recipient's message within
 *       {@code sluice.tracking.link-scanner-window} of each other: {@code link-scanner}, decided
 *       later by {@link ClickBursts} ({@link #asLinkScanner()}).</li>
 * </ol>
 * The class of the user agent itself is one of {@code apple-mpp}, {@code google-proxy},
 * {@code bot}, {@code browser}, {@code unknown}.
 */
record Fetcher(String userAgentClass, String machineRule) {
    private static final String[] BOT_WORDS = {"bot", "crawler", "spider", "scanner", "preview", "curl/", "wget/",
            "python", "java/", "go-http-client", "okhttp", "libwww", "httpclient", "barracuda", "proofpoint",
            "mimecast", "safelinks"};

    boolean machine() {
        return machineRule != null;
    }

    /** This fetch, flagged {@code link-scanner} unless an earlier rule flagged it already. */
    Fetcher asLinkScanner() {
        return machine() ? this : new Fetcher(userAgentClass, "link-scanner");
    }

    static Fetcher of(String method, String userAgent, boolean click, Instant sentAt, Instant now, Duration scannerWindow) {
        return of(method, userAgent, false, click, sentAt, now, scannerWindow);
    }

    /** @param appleEgress the client's address is in Apple's egress ranges */
    static Fetcher of(String method, String userAgent, boolean appleEgress, boolean click, Instant sentAt, Instant now,
                      Duration scannerWindow) {
        String ua = userAgent == null ? "" : userAgent.strip();
        String type = userAgentClass(ua);
        String rule = null;
        if ("HEAD".equalsIgnoreCase(method)) {
            rule = "head-request";
        } else if (type.equals("apple-mpp") || (appleEgress && !click)) {
            rule = "apple-mpp";
        } else if (type.equals("bot")) {
            rule = "bot";
        } else if (click && sentAt != null && Duration.between(sentAt, now).compareTo(scannerWindow) < 0) {
            rule = "too-soon";
        }
        return new Fetcher(type, rule);
    }

    static String userAgentClass(String ua) {
        if (ua.isEmpty()) {
            return "unknown";
        }
        if (ua.equals("Mozilla/5.0")) {
            return "apple-mpp";
        }
        String l = ua.toLowerCase(Locale.ROOT);
        if (l.contains("googleimageproxy")) {
            return "google-proxy";
        }
        for (String w : BOT_WORDS) {
            if (l.contains(w)) {
                return "bot";
            }
        }
        return l.startsWith("mozilla/") ? "browser" : "unknown";
    }
}
