package io.sluice.protocol.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.sluice.protocol.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to {@link ReplyLines}: collects {@code "250-..."} lines until the {@code "250 ..."} line
 * (RFC 5321 §4.2.1) and emits one value per reply.
 *
 * <p>Distrusts the peer: a line longer than {@link #MAX_LINE} bytes (RFC 5321 §4.5.3.1.5 allows
 * 512; real servers send more, so the bound is generous), a reply of more than {@link #MAX_LINES}
 * lines, or a line that does not start with a code raises a {@link DecoderException}, which closes
 * the session as a protocol error. A bare LF is accepted as a line end, as most clients do.
 *
 * <p>The reply's text is what Sluice keeps (journal reasons, events, DSNs), so it is cut to
 * {@link #MAX_TEXT} characters with a {@code [truncated]} mark: a hostile server could otherwise
 * store 1 MB per deferral. The raw lines stay whole for the one reader that needs them all (EHLO's
 * extension list), and are dropped with the reply.
 */
final class SmtpReplyDecoder extends ByteToMessageDecoder {
    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 256;
    /** Characters of reply text kept: room for any real diagnostic, a bound on a hostile one. */
    static final int MAX_TEXT = 1024;

    /* The lines of the reply being read; emptied (not replaced) once a reply is emitted, as its own copy. */
    private final List<String> lines = new ArrayList<>();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    in.skipBytes(in.readableBytes());
                    throw new TooLongFrameException("reply line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            int length = lf - in.readerIndex();
            if (length > MAX_LINE) {
                in.skipBytes(length + 1);
                throw new TooLongFrameException("reply line longer than " + MAX_LINE + " bytes");
            }
            int textLength = length > 0 && in.getByte(lf - 1) == '\r' ? length - 1 : length;
            String line = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
            in.skipBytes(length + 1);
            if (line.length() < 3 || !isDigits(line)) {
                throw new DecoderException("malformed reply line: " + printable(line));
            }
            lines.add(line);
            if (lines.size() > MAX_LINES) {
                throw new DecoderException("reply longer than " + MAX_LINES + " lines");
            }
            boolean last = line.length() == 3 || line.charAt(3) != '-';
            if (last) {
                List<String> done = lines.size() == 1 ? List.of(line) : List.copyOf(lines);
                lines.clear();
                try {
                    out.add(new ReplyLines(SmtpReply.parse(done).truncated(MAX_TEXT), done));
                } catch (IllegalArgumentException e) {
                    throw new DecoderException("malformed reply: " + e.getMessage(), e);
                }
            }
        }
    }

    /** True while bytes or lines of an unfinished reply wait here (see STARTTLS in SmtpConnection). */
    boolean hasBufferedInput() {
        return actualReadableBytes() > 0 || !lines.isEmpty();
    }

    private static boolean isDigits(String line) {
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
