package io.sluice.daemon.ingress.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
