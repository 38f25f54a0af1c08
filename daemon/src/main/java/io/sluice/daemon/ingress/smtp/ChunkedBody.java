package io.sluice.daemon.ingress.smtp;

import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message text of a BDAT sequence (RFC 3030): each chunk's declared octets read in blocks
 * straight from the session's input (the library's stream reads one byte per call), then, until
 * the chunk marked LAST, the chunk is acknowledged and the next {@code BDAT} line is read here.
 * Exactly the declared octets are consumed, so a pipelined command after LAST stays in the input.
 * Bounded by the transfer's {@link DataDeadline}.
 */
final class ChunkedBody extends InputStream {
    /** A BDAT command line: {@code BDAT <size> [LAST]}. */
    record Chunk(long size, boolean last) {
        /** The chunk a command line announces, or null when the line is not a valid BDAT. */
        static Chunk parse(String line) {
            String[] words = line.strip().split(" +");
            if (words.length < 2 || words.length > 3 || !words[0].equalsIgnoreCase("BDAT")
                    || !words[1].matches("\\d{1,18}")) {
                return null;
            }
            if (words.length == 3 && !words[2].equalsIgnoreCase("LAST")) {
                return null;
            }
            return new Chunk(Long.parseLong(words[1]), words.length == 3);
        }
    }

    /** The client broke the sequence (another command, or a malformed BDAT, before LAST). */
    static final class Broken extends IOException {
        Broken(String line) {
            super("expected BDAT, got: " + (line.length() > 60 ? line.substring(0, 60) + "..." : line));
        }
    }

    private static final int MAX_COMMAND_LINE = 1000;

    private final InputStream in;
    private final Session session;
    private final DataDeadline deadline;
    private long left;
    private boolean last;
    private long octets;

    ChunkedBody(InputStream in, Session session, Chunk first, DataDeadline deadline) {
        this.in = in;
        this.session = session;
        this.deadline = deadline;
        this.left = first.size();
        this.last = first.last();
    }

    /** Message octets read so far. */
    long octets() {
        return octets;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (left == 0) {
            if (last) {
                return -1;
            }
            nextChunk();
        }
        int n = deadline.read(in, out, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new IOException("connection closed in the middle of BDAT");
        }
        left -= n;
        octets += n;
        return n;
    }

    /** Reads and drops what is left of the sequence, up to and including the LAST chunk. */
    void drain() throws IOException {
        byte[] sink = new byte[8192];
        while (read(sink, 0, sink.length) >= 0) {
            // dropped
        }
    }

    private void nextChunk() throws IOException {
        session.sendResponse("250 2.0.0 " + octets + " octets received");
        String line = readLine();
        Chunk next = Chunk.parse(line);
        if (next == null) {
            throw new Broken(line);
        }
        left = next.size();
        last = next.last();
    }

    /** One command line from the buffered input, without its CRLF. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = deadline.read(in);
            if (b < 0) {
                throw new IOException("connection closed between BDAT chunks");
            }
            if (b == '\n') {
                int end = line.length();
                return (end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString());
            }
            if (line.length() >= MAX_COMMAND_LINE) {
                throw new Broken(line.toString());
            }
            line.append((char) (b & 0xff));
        }
    }

}
