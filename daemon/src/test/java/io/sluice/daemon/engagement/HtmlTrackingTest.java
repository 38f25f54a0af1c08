package io.sluice.daemon.engagement;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTrackingTest {
    private static String rewrite(String html) {
        return HtmlTracking.rewrite(html, (i, url) -> "https://t.test/c/" + i + "?" + url, "https://t.test/o/x",
                url -> url.startsWith("https://mail.test/u/"));
    }

    @Test
    void httpLinksBecomeRedirectsInOrderAndThePixelGoesBeforeTheBodyEnds() {
        String in = "<html><body><p><a class=\"b\" href=\"https://shop.test/a?x=1&amp;y=2\">A</a>"
                + "<A HREF='http://shop.test/b'>B</A></p></BODY></html>";
        assertEquals("<html><body><p><a class=\"b\" href=\"https://t.test/c/0?https://shop.test/a?x=1&amp;y=2\">A</a>"
                + "<A HREF=\"https://t.test/c/1?http://shop.test/b\">B</A></p>"
                + "<img src=\"https://t.test/o/x\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;"
                + "height:1px;border:0\"></BODY></html>", rewrite(in));
    }

    @Test
    void mailtoAnchorsRelativeLinksTheUnsubscribeLinkAndMarkedLinksStay() {
        String in = "<a href=\"mailto:a@b.test\">m</a><a href=\"#top\">t</a><a href=\"/rel\">r</a>"
                + "<a href=\"https://mail.test/u/tok\">unsubscribe</a>"
                + "<a data-sluice-notrack href=\"https://keep.test/\">k</a><a name=\"x\">n</a>";
        String out = rewrite(in);
        assertEquals(in + "<img src=\"https://t.test/o/x\" width=\"1\" height=\"1\" alt=\"\" "
                + "style=\"display:block;width:1px;height:1px;border:0\">", out, "no </body>: the pixel goes last");
    }

    @Test
    void withoutClicksOrPixelTheDocumentIsUnchanged() {
        String in = "<body><a href=\"https://shop.test/\">x</a></body>";
        assertEquals(in, HtmlTracking.rewrite(in, null, null, u -> false));
    }
}
