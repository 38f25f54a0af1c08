package io.sluice.daemon.engagement;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Plain-text URLs as a reader writes them, with punctuation around. */
class TextTrackingTest {
    private static String rewrite(String text) {
        return TextTracking.rewrite(text, url -> "[" + url + "]", url -> url.contains("/unsub"));
    }

    @Test
    void urlsBecomeRedirectsAndTheirPunctuationStaysOutside() {
        assertEquals("See [https://shop.test/sale?a=1&b=2].", rewrite("See https://shop.test/sale?a=1&b=2."));
        assertEquals("([http://shop.test/a]), <[https://shop.test/b]>", rewrite("(http://shop.test/a), <https://shop.test/b>"));
        assertEquals("[https://en.wikipedia.test/wiki/Mail_(protocol)]!",
                rewrite("https://en.wikipedia.test/wiki/Mail_(protocol)!"), "a bracket the URL opened is its own");
        assertEquals("[HTTPS://SHOP.TEST/X]\r\nnext line [https://shop.test/y]",
                rewrite("HTTPS://SHOP.TEST/X\r\nnext line https://shop.test/y"));
    }

    @Test
    void mailtoTheUnsubscribeLinkAndOtherSchemesStay() {
        String text = "Write to mailto:sales@shop.test or sales@shop.test, ftp://shop.test/f, "
                + "unsubscribe: https://shop.test/unsub?u=1 https://";
        assertSame(text, rewrite(text));
    }
}
