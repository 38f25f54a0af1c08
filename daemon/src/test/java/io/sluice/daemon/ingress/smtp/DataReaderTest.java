package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataReaderTest {

    private static DataReader.Result read(String data, long max) throws IOException {
        return DataReader.read(new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1)), max);
    }

    private static String text(DataReader.Result r) {
        return new String(r.bytes(), 0, r.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void crlfPassesUnchanged() throws IOException {
        assertEquals("a\r\nb\r\n", text(read("a\r\nb\r\n", 1000)));
    }

    @Test
    void bareLfAndBareCrBecomeCrlf() throws IOException {
        assertEquals("a\r\nb\r\nc\r\nd\r\n", text(read("a\nb\rc\r\nd\n", 1000)));
        assertEquals("x\r\n\r\ny\r\n", text(read("x\r\r\ny\n", 1000)));
        assertEquals("tail\r\n", text(read("tail\r", 1000)));
    }

    @Test
    void lineOf998OctetsIsFineAnd999IsTooLong() throws IOException {
        assertEquals(DataReader.Problem.NONE, read("x".repeat(998) + "\r\n", 5000).problem());
        assertEquals(DataReader.Problem.LINE_TOO_LONG, read("x".repeat(999) + "\r\n", 5000).problem());
    }

    @Test
    void overTheLimitIsTooBigAndTheStreamIsStillDrained() throws IOException {
        byte[] data = ("y".repeat(100) + "\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
        InputStream in = new ByteArrayInputStream(data);
        DataReader.Result r = DataReader.read(in, 1000);
        assertEquals(DataReader.Problem.TOO_BIG, r.problem());
        assertEquals(-1, in.read(), "drained to the end");
        assertEquals(data.length, r.octetsSeen());
    }

    @Test
    void exactlyTheLimitFits() throws IOException {
        String msg = "z".repeat(8) + "\r\n";
        DataReader.Result r = read(msg, msg.length());
        assertEquals(DataReader.Problem.NONE, r.problem());
        assertEquals(msg, text(r));
    }

    @Test
    void emptyDataIsEmpty() throws IOException {
        assertEquals(0, read("", 10).length());
    }

    private static DataReader.Result read(String data, long max, ReadBuffers buffers) throws IOException {
        return DataReader.read(new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1)), max, buffers);
    }

    @Test
    void aReleasedBufferServesTheNextMessageOfTheThreadAndIsOverwrittenCleanly() throws IOException {
        ReadBuffers buffers = new ReadBuffers();
        DataReader.Result first = read("a much longer first message\r\n", 1000, buffers);
        byte[] lent = first.bytes();
        buffers.release(lent);
        DataReader.Result second = read("short\r\n", 1000, buffers);
        assertSame(lent, second.bytes(), "the released buffer is reused");
        assertEquals("short\r\n", text(second));
        assertEquals(7, second.length());
    }

    @Test
    void aBufferNotReleasedIsNeverHandedOutTwice() throws IOException {
        ReadBuffers buffers = new ReadBuffers();
        DataReader.Result first = read("one\r\n", 1000, buffers);
        DataReader.Result second = read("two\r\n", 1000, buffers);
        assertNotSame(first.bytes(), second.bytes());
        assertEquals("one\r\n", text(first), "the first message is untouched while still referred to");
    }

    @Test
    void aBufferGrownPastTheKeepLimitIsNotKept() throws IOException {
        ReadBuffers buffers = new ReadBuffers();
        String big = ("b".repeat(998) + "\r\n").repeat(ReadBuffers.KEEP_MAX / 1000 + 2);
        DataReader.Result r = read(big, 10_000_000, buffers);
        assertEquals(big, text(r));
        assertTrue(r.bytes().length > ReadBuffers.KEEP_MAX);
        buffers.release(r.bytes());
        assertNotSame(r.bytes(), read("x\r\n", 1000, buffers).bytes());
    }

    @Test
    void buffersAreKeptPerThread() throws Exception {
        ReadBuffers buffers = new ReadBuffers();
        DataReader.Result mine = read("mine\r\n", 1000, buffers);
        buffers.release(mine.bytes());
        byte[][] other = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                other[0] = read("theirs\r\n", 1000, buffers).bytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        assertNotSame(mine.bytes(), other[0]);
        assertSame(mine.bytes(), read("again\r\n", 1000, buffers).bytes());
    }

    /**
     * The block reader against the rules applied one byte at a time (bare CR and LF become CRLF,
     * 998 octets per line, the size cap), on random text in random chunks and random caps.
     */
    @Test
    void agreesWithTheByteAtATimeRulesOnRandomText() throws IOException {
        java.util.Random random = new java.util.Random(998);
        for (int round = 0; round < 3_000; round++) {
            byte[] data = new byte[random.nextInt(6_000)];
            int lineBreaks = 1 + random.nextInt(400);
            for (int i = 0; i < data.length; i++) {
                int r = random.nextInt(1000);
                data[i] = (byte) (r < lineBreaks / 2 ? '\r' : r < lineBreaks ? '\n' : 'a' + r % 26);
            }
            long max = random.nextBoolean() ? Long.MAX_VALUE / 4 : random.nextInt(7_000);
            int chunk = 1 + random.nextInt(5_000);
            InputStream in = new ByteArrayInputStream(data) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, chunk));
                }
            };
            DataReader.Result actual = DataReader.read(in, max);
            ByteAtATime expected = ByteAtATime.read(data, max);
            String where = "round " + round + " max " + max + " chunk " + chunk;
            assertEquals(expected.problem, actual.problem(), where);
            assertEquals(data.length, actual.octetsSeen(), where);
            if (expected.problem != DataReader.Problem.TOO_BIG) {
                assertEquals(expected.out.toString(StandardCharsets.ISO_8859_1),
                        new String(actual.bytes(), 0, actual.length(), StandardCharsets.ISO_8859_1), where);
            }
        }
    }

    /** The reading rules, one byte at a time, written as plainly as possible. */
    private static final class ByteAtATime {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DataReader.Problem problem = DataReader.Problem.NONE;
        int line;
        boolean cr;
        final long max;

        private ByteAtATime(long max) {
            this.max = max;
        }

        static ByteAtATime read(byte[] data, long max) {
            ByteAtATime r = new ByteAtATime(max);
            for (byte b : data) {
                if (r.problem == DataReader.Problem.TOO_BIG) {
                    break;
                }
                if (b == '\r') {
                    if (r.cr) {
                        r.end();
                    }
                    r.cr = true;
                } else if (b == '\n') {
                    r.cr = false;
                    r.end();
                } else {
                    if (r.cr) {
                        r.cr = false;
                        r.end();
                        if (r.problem == DataReader.Problem.TOO_BIG) {
                            break;
                        }
                    }
                    if (++r.line > DataReader.MAX_LINE_OCTETS && r.problem == DataReader.Problem.NONE) {
                        r.problem = DataReader.Problem.LINE_TOO_LONG;
                    }
                    if (r.fits(1)) {
                        r.out.write(b);
                    }
                }
            }
            if (r.cr && r.problem != DataReader.Problem.TOO_BIG) {
                r.end();
            }
            return r;
        }

        private void end() {
            if (fits(2)) {
                out.write('\r');
                out.write('\n');
                line = 0;
            }
        }

        private boolean fits(int n) {
            if (out.size() + n > max) {
                problem = DataReader.Problem.TOO_BIG;
                return false;
            }
            return true;
        }
    }
}
