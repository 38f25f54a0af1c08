package io.sluice.daemon.engagement;

import io.sluice.queue.DeliveryId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one recipient's tracking into a message at send time: click redirects for the http(s)
 * links of its HTML parts and an open pixel, each a signed {@link TrackingTokens} URL on the
 * tenant's tracking host; click redirects for the URLs of its text parts too when the tenant or
 * campaign asked ({@code tracking.text-links}, off by default). Links are numbered in the order
 * they appear in the message, whichever part they are in. Not applied to mail of a tenant or
 * campaign that did not opt in, to the null sender's mail (DSNs), or to a message that already
 * carries a DKIM-Signature (the customer signed it: any change would break that signature). The
 * unsubscribe link stays as it is: Sluice's own {@code /u/} links and every URL of the message's
 * List-Unsubscribe field; so do {@code mailto:} URLs. Thread-safe.
 */
public final class TrackingRewriter {
    public static final TrackingRewriter OFF = new TrackingRewriter(TrackingSettings.OFF, null, null);
    private static final Pattern ANGLE_URL = Pattern.compile("<(https?://[^>\\s]+)>", Pattern.CASE_INSENSITIVE);

    private final TrackingSettings settings;
    private final TrackingTokens tokens;
    private final String unsubscribeBase;

    /**
     * @param tokens          null when no secret is set (then nothing is tracked)
     * @param unsubscribeBase {@code sluice.unsubscribe.url}, or null
     */
    public TrackingRewriter(TrackingSettings settings, TrackingTokens tokens, String unsubscribeBase) {
        this.settings = settings;
        this.tokens = tokens;
        this.unsubscribeBase = unsubscribeBase == null ? null : unsubscribeBase + "/u/";
    }

    /** Whether a delivery of this sender with these attributes gets its own tracked copy. */
    public boolean applies(String sender, Map<String, String> attributes) {
        return tokens != null && tokens.enabled() && sender != null && !sender.isEmpty()
                && settings.trackedFor(attributes.get("tenant"), attributes.get("campaign"))
                && settings.urlFor(attributes.get("tenant")) != null;
    }

    /** The message as {@code id}'s recipient gets it; the same array when nothing applies or changes. */
    public byte[] rewrite(DeliveryId id, String sender, Map<String, String> attributes, byte[] message, Instant now) {
        if (!applies(sender, attributes) || header(message, "dkim-signature") != null) {
            return message;
        }
        String tenant = attributes.get("tenant");
        String campaign = attributes.get("campaign");
        String base = settings.urlFor(tenant);
        String messageId = id.message().value();
        List<String> listUnsubscribe = listUnsubscribeUrls(message);
        Predicate<String> keep = url -> (unsubscribeBase != null && url.startsWith(unsubscribeBase))
                || listUnsubscribe.contains(url);
        AtomicInteger links = new AtomicInteger(); // one numbering across the message's parts
        Function<String, String> click = url -> base + "/t/c/"
                + tokens.click(messageId, id.recipient(), tenant, campaign, now, links.getAndIncrement(), url);
        BiFunction<Integer, String, String> redirect = settings.clicks() ? (inPart, url) -> click.apply(url) : null;
        String pixel = settings.opens()
                ? base + "/t/o/" + tokens.open(messageId, id.recipient(), tenant, campaign, now) : null;
        if (redirect == null && pixel == null) {
            return message;
        }
        UnaryOperator<String> text = settings.clicks() && settings.textLinksFor(tenant, campaign)
                ? t -> TextTracking.rewrite(t, click, keep) : null;
        return MimeHtml.rewrite(message, html -> HtmlTracking.rewrite(html, redirect, pixel, keep), text);
    }

    private static List<String> listUnsubscribeUrls(byte[] message) {
        String field = header(message, "list-unsubscribe");
        List<String> out = new ArrayList<>();
        if (field != null) {
            Matcher m = ANGLE_URL.matcher(field);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The unfolded value of the first header field of this (lower-case) name, or null. */
    static String header(byte[] message, String name) {
        int end = 0;
        while (end + 3 < message.length && !(message[end] == '\r' && message[end + 1] == '\n'
                && message[end + 2] == '\r' && message[end + 3] == '\n')) {
            end++;
        }
        String head = new String(message, 0, Math.min(message.length, end + 2), StandardCharsets.ISO_8859_1)
                .replaceAll("\r\n[ \t]", " ");
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
