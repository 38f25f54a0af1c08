package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message handed to the spool as ranges of arrays that, one after another, are its bytes (say
 * our trace header, the client's header section, a missing Date field, the client's body). The
 * spool writes the ranges straight into the record, which is byte for byte the record of their
 * concatenation: the message is copied once, into the spool, not first into an array of its own
 * (issue 14: that copy was the largest allocation left per message on the session thread).
 *
 * <p>The arrays stay the caller's: {@link Spool#accept(Envelope, MessagePieces)} reads them on
 * the thread writing the record (the caller itself, or the one holding the write lock) and returns
 * only once it no longer does, so they may be reused after.
 * Not thread-safe: built by one thread, then handed over.
 */
public final class MessagePieces {
    private byte[][] arrays = new byte[4][];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private int count;
    private int length;

    /** One whole array: the record is the same as the one {@link Spool#accept(Envelope, byte[])} writes. */
    public static MessagePieces of(byte[] whole) {
        return new MessagePieces().add(whole, 0, whole.length);
    }

    /** Appends {@code bytes[offset, offset + len)}; an empty range adds nothing. */
    public MessagePieces add(byte[] bytes, int offset, int len) {
        Objects.checkFromIndexSize(offset, len, bytes.length);
        if (len == 0) {
            return this;
        }
        if (Integer.MAX_VALUE - length < len) {
            throw new IllegalArgumentException("message of more than 2 GiB");
        }
        if (count == arrays.length) {
            arrays = Arrays.copyOf(arrays, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        arrays[count] = bytes;
        offsets[count] = offset;
        lengths[count] = len;
        count++;
        length += len;
        return this;
    }

    /** Octets of the whole message. */
    public int length() {
        return length;
    }

    /** The message in one new array (for the few readers that need one, such as DKIM's body hash). */
    public byte[] toArray() {
        byte[] out = new byte[length];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(arrays[i], offsets[i], out, pos, lengths[i]);
            pos += lengths[i];
        }
        return out;
    }

    /** Writes the pieces in order, each in one go. */
    void writeTo(Bytes<?> out) {
        for (int i = 0; i < count; i++) {
            out.write(arrays[i], offsets[i], lengths[i]);
        }
    }
}
