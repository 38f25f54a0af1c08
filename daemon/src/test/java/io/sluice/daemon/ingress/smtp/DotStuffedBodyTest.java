package io.sluice.daemon.ingress.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;

class DotStuffedBodyTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the body yields, and what is left on the input for the next command. */
    private record Read(String text, String rest) {
    }

    private static Read read(String wire, int chunk) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new Trickle(new ByteArrayInputStream(ascii(wire)), chunk), 16);
        DotStuffedBody body = new DotStuffedBody(in);
        String text = new String(readAll(body, 4096), StandardCharsets.ISO_8859_1);
        String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Read(text, rest);
    }

    private static byte[] readAll(InputStream in, int buffer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[buffer];
        int n;
        while ((n = in.read(b, 0, b.length)) >= 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void messagesReadOneAfterAnotherOnAThreadsKeptBuffersDoNotSeeEachOther() throws IOException {
        // the second message is shorter than the first: a block left over from it must not leak in
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            first.append("line ").append(i).append(" of the first message\r\n");
        }
        String wire = first + ".\r\n" + "short\r\n..dot\r\n.\r\n" + "third, drained\r\n.\r\nQUIT\r\n";
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(ascii(wire)), 8192 + 64);
        ReadBuffers kept = new ReadBuffers();
        assertEquals(first.toString(), new String(readAll(new DotStuffedBody(in, DataDeadline.NONE, kept), 4096),
                StandardCharsets.ISO_8859_1));
        assertEquals("short\r\n.dot\r\n", new String(readAll(new DotStuffedBody(in, DataDeadline.NONE, kept), 3),
                StandardCharsets.ISO_8859_1));
        DotStuffedBody third = new DotStuffedBody(in, DataDeadline.NONE, kept);
        assertEquals('t', third.read());
        third.drain();
        assertEquals(-1, third.read());
        assertEquals("QUIT\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), "drain stops at the terminator");
    }

    @Test
    void theMessageEndsAtCrLfDotCrLfAndKeepsItsLastLineEnd() throws IOException {
        Read r = read("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n", 1000);
        assertEquals("Subject: x\r\n\r\nbody\r\n", r.text());
        assertEquals("QUIT\r\n", r.rest(), "a pipelined command behind the terminator is left for the session");
    }

    @Test
    void aLeadingDotIsRemovedFromEveryLine() throws IOException {
        assertEquals("a\r\n.b\r\n.\r\n..\r\nc.d\r\n", read("a\r\n..b\r\n..\r\n...\r\nc.d\r\n.\r\n", 1000).text());
        assertEquals(".first line\r\n", read("..first line\r\n.\r\n", 1000).text(), "the first line is a line start");
    }

    @Test
    void readingOneByteAtATimeGivesTheSameText() throws IOException {
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(ascii("a\r\n..b\r\n.\rc\r\n.\r\nQUIT\r\n")));
        DotStuffedBody body = new DotStuffedBody(in);
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = body.read()) >= 0) {
            text.append((char) b);
        }
        assertEquals("a\r\n.b\r\n\rc\r\n", text.toString());
        assertEquals("QUIT\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void anEmptyMessageIsJustTheTerminator() throws IOException {
        Read r = read(".\r\nRSET\r\n", 1000);
        assertEquals("", r.text());
        assertEquals("RSET\r\n", r.rest());
    }

    @Test
    void onlyTheExactSequenceEndsTheMessage() throws IOException {
        // bare LF and bare CR around a dot are text (SMTP smuggling needs them to end it); a line
        // ".<CR>d" is a dot-stuffed line like any other, so its dot goes
        assertEquals("a\n.\nb\r.\rc\r\n\rd\r\n", read("a\n.\nb\r.\rc\r\n.\rd\r\n.\r\n", 1000).text());
    }

    @Test
    void theTerminatorSplitAcrossReadsIsFound() throws IOException {
        for (int chunk = 1; chunk <= 7; chunk++) {
            Read r = read("x\r\n..y\r\n.\r\nMAIL FROM:<a@b>\r\n", chunk);
            assertEquals("x\r\n.y\r\n", r.text(), "chunk " + chunk);
            assertEquals("MAIL FROM:<a@b>\r\n", r.rest(), "chunk " + chunk);
        }
    }

    @Test
    void aConnectionClosedInTheMiddleIsAnError() {
        assertThrows(IOException.class, () -> read("no terminator\r\n", 1000));
    }

    /**
     * SubEthaSMTP's streams, as the reference, on everything but the first line: they do not
     * unstuff a dot there, though RFC 5321 §4.5.2 stuffs every line (see the test above).
     */
    @Test
    void agreesWithSubEthaSmtpsOwnStreamsOnRandomMessages() throws IOException {
        Random random = new Random(5321);
        byte[] alphabet = ascii("ab.\r\n.\r\n \t");
        for (int round = 0; round < 2_000; round++) {
            byte[] msg = new byte[1 + random.nextInt(300)];
            for (int i = 0; i < msg.length; i++) {
                msg[i] = alphabet[random.nextInt(alphabet.length)];
            }
            msg[0] = 'a';
            byte[] wire = concat(msg, ascii("\r\n.\r\nNEXT"));
            byte[] expected = readAll(new DotUnstuffingInputStream(new DotTerminatedInputStream(
                    new BufferedInputStream(new ByteArrayInputStream(wire)))), 1);
            BufferedInputStream in = new BufferedInputStream(new Trickle(new ByteArrayInputStream(wire),
                    1 + random.nextInt(40)), 32);
            byte[] actual = readAll(new DotStuffedBody(in), 1 + random.nextInt(64));
            assertEquals(escape(expected), escape(actual), () -> "wire " + escape(wire));
        }
    }

    /** The same on long lines and messages of several blocks: the in-line runs are copied in bulk. */
    @Test
    void agreesWithSubEthaSmtpsOwnStreamsOnLongLinesAcrossBlocks() throws IOException {
        Random random = new Random(4552);
        for (int round = 0; round < 200; round++) {
            byte[] msg = new byte[1 + random.nextInt(40_000)];
            for (int i = 0; i < msg.length; i++) {
                int r = random.nextInt(1000);
                msg[i] = (byte) (r < 6 ? '\r' : r < 12 ? '\n' : r < 20 ? '.' : 'a' + r % 26);
            }
            msg[0] = 'a';
            byte[] wire = concat(msg, ascii("\r\n.\r\nNEXT"));
            byte[] expected = readAll(new DotUnstuffingInputStream(new DotTerminatedInputStream(
                    new BufferedInputStream(new ByteArrayInputStream(wire)))), 1);
            BufferedInputStream in = new BufferedInputStream(new Trickle(new ByteArrayInputStream(wire),
                    1 + random.nextInt(20_000)), 64 * 1024);
            DotStuffedBody body = new DotStuffedBody(in);
            byte[] actual = readAll(body, 1 + random.nextInt(8192));
            assertArrayEquals(expected, actual, "round " + round);
            assertEquals(wire.length - 4, body.octets(), "round " + round);
            assertEquals("NEXT", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    private static String escape(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A network that delivers at most {@code chunk} bytes per read. */
    private static final class Trickle extends FilterInputStream {
        private final int chunk;

        Trickle(InputStream in, int chunk) {
            super(in);
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
