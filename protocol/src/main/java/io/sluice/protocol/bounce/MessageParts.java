package io.sluice.protocol.bounce;

import io.sluice.protocol.mime.MimePart;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the pieces of a bounce that every reader needs: the human-readable text and the original. */
final class MessageParts {

    static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
                    + "|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@\\[[0-9.]+\\]");
    private static final Pattern TAG = Pattern.compile("(?s)<(script|style)[^>]*>.*?</\\1>|<br\\s*/?>|</p>|</div>|</tr>|<[^>]{0,2000}>");

    private MessageParts() {}

    /** The embedded original message (message/rfc822, message/global) or its headers (text/rfc822-headers). */
    static MimePart original(MimePart message) {
        for (MimePart p : message.flatten()) {
            String t = p.mediaType();
            if ((t.equals("message/rfc822") || t.equals("message/global")) && !p.children().isEmpty()) {
                return p.children().get(0);
            }
            if (t.equals("text/rfc822-headers") || t.equals("text/rfc822-header") || t.equals("message/rfc822-headers") || t.equals("message/global-headers")) {
                return MimePart.parse(p.decodedBody());
            }
        }
        return null;
    }

    /**
     * The bounce's own explanation: the first text/plain part outside any embedded message, else
     * the first text/html with tags removed, else empty.
     */
    static String humanText(MimePart message) {
        MimePart plain = find(message, "text/plain");
        if (plain != null) {
            return plain.text();
        }
        MimePart html = find(message, "text/html");
        if (html != null) {
            String s = TAG.matcher(html.text()).replaceAll(m -> m.group().startsWith("<s") || m.group().startsWith("<S") ? "" : "\n");
            return s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        }
        return "";
    }

    private static MimePart find(MimePart p, String type) {
        String t = p.mediaType();
        if (t.equals(type) && !isAttachment(p)) {
            return p;
        }
        if (t.startsWith("multipart/") && p.children().isEmpty() && type.equals("text/plain")) {
            return p; // a multipart whose boundary never occurs: its body is all the text there is
        }
        if (t.startsWith("message/")) {
            return null; // never read the original's text as the bounce's
        }
        for (MimePart c : p.children()) {
            MimePart f = find(c, type);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static boolean isAttachment(MimePart p) {
        // A named attachment is a file someone sent, not the server's explanation.
        String d = p.header("Content-Disposition");
        return d != null && d.toLowerCase(java.util.Locale.ROOT).startsWith("attachment")
                && io.sluice.protocol.mime.HeaderParameters.get(d, "filename") != null;
    }

    /** The first address in a header value, or null. */
    static String address(String field) {
        if (field == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(field);
        return m.find() ? m.group() : null;
    }
}
