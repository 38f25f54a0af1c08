package io.sluice.daemon.ingress.smtp;

/**
 * The buffers {@link DataReader} fills and {@link DotStuffedBody} scans into, kept per session
 * thread between messages: a 2 KB message used to cost a fresh 8 KB output buffer, a 4 KB read
 * chunk and two 8 KB blocks (the top allocators of the ingress thread, issue 14). SubEthaSMTP runs each connection on one thread and DATA is read,
 * assembled and spooled on it before the next command is read, so a buffer handed out for one
 * message is free again when that thread asks for the next.
 *
 * <p>Only buffers up to {@link #KEEP_MAX} are kept: a 40 MB message must not stay pinned to an
 * idle pooled thread. One instance per listener; the threads are the listener's.
 */
final class ReadBuffers {
    /** Largest output buffer kept for the next message (a thread keeps at most this plus a chunk). */
    static final int KEEP_MAX = 32 * 1024;
    static final int CHUNK = 4096;
    /** What {@link DotStuffedBody} reads from the session's input at a time. */
    static final int BLOCK = 8192;

    /** Null: nothing is kept, every message gets fresh buffers. */
    private final ThreadLocal<Held> held;

    ReadBuffers() {
        this.held = ThreadLocal.withInitial(Held::new);
    }

    private ReadBuffers(ThreadLocal<Held> held) {
        this.held = held;
    }

    /** Fresh buffers every time: for readers outside a listener (tests, one-off readers). */
    static ReadBuffers none() {
        return new ReadBuffers(null);
    }

    /** The read chunk of this thread. */
    byte[] chunk() {
        return held == null ? new byte[CHUNK] : held.get().chunk;
    }

    /** The raw block DATA is read into on this thread. */
    byte[] dataBlock() {
        return held == null ? new byte[BLOCK] : held.get().block;
    }

    /** The unstuffed text of one block on this thread: one byte more, as a pending ".CR" may release two. */
    byte[] dataText() {
        return held == null ? new byte[BLOCK + 1] : held.get().text;
    }

    /** This thread's output buffer if it has one of at least {@code atLeast} bytes, else a new one. */
    byte[] output(int atLeast) {
        if (held == null) {
            return new byte[atLeast];
        }
        Held h = held.get();
        byte[] b = h.output;
        h.output = null; // lent out until released
        return b != null && b.length >= atLeast ? b : new byte[atLeast];
    }

    /** Gives the output buffer back once nothing refers to its contents any more. */
    void release(byte[] output) {
        if (held != null && output.length <= KEEP_MAX) {
            held.get().output = output;
        }
    }

    private static final class Held {
        final byte[] chunk = new byte[CHUNK];
        final byte[] block = new byte[BLOCK];
        final byte[] text = new byte[BLOCK + 1];
        byte[] output;
    }
}
