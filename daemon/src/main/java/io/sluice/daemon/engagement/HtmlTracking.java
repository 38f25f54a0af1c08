package io.sluice.daemon.engagement;

import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites one HTML document: each {@code <a href="http(s)://...">} becomes a click redirect, and
 * an open pixel goes before {@code </body>} (or at the end). Only the {@code href} value of
 * anchors changes; the rest of the document keeps its bytes. Left alone: links that are not
 * http(s) ({@code mailto:}, {@code tel:}, {@code #anchors}, relative), links the
 * {@code keep} test names (the unsubscribe link), and anchors marked {@code data-sluice-notrack}.
 */
final class HtmlTracking {
    /* an anchor's start tag, and in it the href attribute's quoted value */
    private static final Pattern ANCHOR = Pattern.compile("<a\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HREF = Pattern.compile("(\\shref\\s*=\\s*)(\"([^\"]*)\"|'([^']*)')",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);

    private HtmlTracking() {
    }

    /**
     * @param redirect link index and target URL (entities decoded) to the redirect URL; null: links stay
     * @param pixel    the pixel's URL, or null for none
     * @param keep     true for a target URL that must stay as it is
     */
    static String rewrite(String html, BiFunction<Integer, String, String> redirect, String pixel,
                          Predicate<String> keep) {
        StringBuilder out = new StringBuilder(html.length() + 512);
        Matcher a = ANCHOR.matcher(redirect == null ? "" : html);
        int link = 0;
        int pos = 0;
        while (a.find()) {
            String tag = a.group();
            Matcher h = HREF.matcher(tag);
            out.append(html, pos, a.start());
            pos = a.end();
            if (!h.find() || tag.toLowerCase(Locale.ROOT).contains("data-sluice-notrack")) {
                out.append(tag);
                continue;
            }
            String raw = h.group(3) != null ? h.group(3) : h.group(4);
            String url = unescape(raw.strip());
            String lower = url.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("http://") || lower.startsWith("https://")) || keep.test(url)) {
                out.append(tag);
                continue;
            }
            String target = redirect.apply(link++, url);
            out.append(tag, 0, h.start()).append(h.group(1)).append('"').append(escape(target)).append('"')
                    .append(tag, h.end(), tag.length());
        }
        out.append(html, pos, html.length());
        if (pixel == null) {
            return out.toString();
        }
        String img = "<img src=\"" + escape(pixel) + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;"
                + "width:1px;height:1px;border:0\">";
        Matcher end = BODY_END.matcher(out);
        int at = -1;
        while (end.find()) {
            at = end.start(); // the last </body>
        }
        if (at < 0) {
            return out.append(img).toString();
        }
        return out.insert(at, img).toString();
    }

    /* the entities an href value commonly carries; a URL needs no others */
    private static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&#38;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;");
    }
}
