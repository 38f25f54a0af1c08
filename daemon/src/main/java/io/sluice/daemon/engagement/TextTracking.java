package io.sluice.daemon.engagement;

import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the http(s) URLs of one plain-text part into click redirects (only when the tenant or
 * campaign asked for it: a text part's URLs are what the reader sees, and a long redirect in their
 * place is uglier than in an HTML {@code href}). A URL ends at white space, {@code <}, {@code >}
 * or {@code "}; trailing sentence punctuation and an unmatched closing bracket are not part of it
 * ({@code "see https://x.test/a."}, {@code "(https://x.test/a)"}). Left alone: anything not
 * http(s) ({@code mailto:} included) and the URLs the {@code keep} test names (the unsubscribe
 * link). There is no pixel in text.
 */
final class TextTracking {
    private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://[^\\s<>\"]+");

    private TextTracking() {
    }

    /**
     * @param redirect target URL to its redirect URL
     * @param keep     true for a URL that must stay as it is
     */
    static String rewrite(String text, Function<String, String> redirect, Predicate<String> keep) {
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        int pos = 0;
        while (m.find()) {
            String url = trim(m.group());
            if (url.length() <= "https://".length() || keep.test(url)) {
                continue;
            }
            out.append(text, pos, m.start()).append(redirect.apply(url));
            pos = m.start() + url.length();
        }
        return pos == 0 ? text : out.append(text, pos, text.length()).toString();
    }

    /* Sentence punctuation after a URL, and a bracket closing one opened before it. */
    private static String trim(String url) {
        String u = url;
        while (!u.isEmpty()) {
            char last = u.charAt(u.length() - 1);
            if (".,;:!?'".indexOf(last) >= 0) {
                u = u.substring(0, u.length() - 1);
            } else if ((last == ')' && count(u, '(') < count(u, ')')) || (last == ']' && count(u, '[') < count(u, ']'))) {
                u = u.substring(0, u.length() - 1);
            } else {
                break;
            }
        }
        return u;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
