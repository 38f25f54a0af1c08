package io.sluice.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test messages, built as the exact CRLF bytes a spool holds. */
final class Messages {

    private Messages() {
    }

    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static final String HEADERS = """
            From: Alice Sender <alice@example.test>
            To: Bob <bob@example.net>
            Subject: Hello there
            Date: Fri, 28 Nov 2025 08:00:00 +0000
            Message-ID: <m1@example.test>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            List-Unsubscribe: <https://example.test/u/1>, <mailto:u-1@example.test>
            List-Unsubscribe-Post: List-Unsubscribe=One-Click
            """;

    static byte[] simple() {
        return crlf(HEADERS + "\nHi Bob,\n\nthis is a test.\n");
    }

    static byte[] foldedAndLongHeaders() {
        // Every field has exactly one SP after the colon: OpenDKIM's milter path rebuilds fields as
        // "Name: value", so other spacing there cannot pass it under simple header canonicalization
        // (see SignedMessagesVerifyTest#openDkimRebuildsTheSpaceAfterTheColon).
        StringBuilder refs = new StringBuilder("References: <ref-start@lists.example.org>");
        for (int i = 0; i < 60; i++) {
            refs.append("\n\t<ref-").append(i).append("-abcdefghijkl@lists.example.org>");
        }
        String unfoldedLong = "X-Long: " + "y".repeat(900);
        return crlf("""
                From: "A very long display name that goes on and on" <alice@example.test>
                To: Bob <bob@example.net>,
                  Carol <carol@example.net>,\t  Dave   <dave@example.net>
                Subject: Folded
                   subject\t with   odd    spacing   \s
                Date: Fri, 28 Nov 2025 08:00:00 +0000
                Message-ID: <m2@example.test>
                X-Mixed-Case-HEADER: value  with\tinner   whitespace
                """ + refs + "\n" + unfoldedLong + "\n\nBody.\n");
    }

    static byte[] utf8Headers() {
        return crlf("""
                From: Jürgen Größe <juergen@example.test>
                To: 日本語 <nihongo@example.net>
                Subject: Grüße aus Köln — ✓ ünïcödé
                Date: Fri, 28 Nov 2025 08:00:00 +0000
                Message-ID: <m3@example.test>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                Grüße!
                """);
    }

    static byte[] eightBitBody() {
        byte[] latin1 = "caf\u00e9 na\u00efve \u00ff\u0080\u0081 tabs\there   ".getBytes(StandardCharsets.ISO_8859_1);
        return concat(crlf(HEADERS.replace("charset=utf-8", "charset=iso-8859-1")
                + "Content-Transfer-Encoding: 8bit\n\n"), crlf("Zeile mit Umlauten: äöü ß\n"),
                latin1, new byte[] {'\r', '\n'}, crlf("\tleading tab,  double  spaces,\ttrailing   \t\n"));
    }

    static byte[] noTrailingCrlf() {
        return crlf(HEADERS + "\nlast line without line end");
    }

    static byte[] trailingBlankLines() {
        return crlf(HEADERS + "\nbody\n\n\n   \n\t\n\n\n");
    }

    static byte[] emptyBody() {
        return crlf(HEADERS + "\n");
    }

    static byte[] noBodyAtAll() {
        return crlf(HEADERS);
    }
}
