package io.sluice.daemon.outcome.tokens;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The Message-ID index's file, {@value #FILE}: one line per delivery, {@code <crc> <delivery line>}
 * ({@link SentDelivery#line()}; the CRC-32C of that line's UTF-8 bytes in 8 hex digits, so a torn
 * or damaged record is recognised and skipped, never read as another delivery). Replayed in order
 * (oldest first) at start, then rewritten with what the index keeps.
 *
 * <p>Senders never touch the disk: {@link #record} queues the delivery and the writer thread
 * ({@code sluice-sent-messages}) appends the queue every {@link #FLUSH_EVERY}, without fsync: the
 * index is a hint for bounces that lost their token, not worth a disk flush per message, so a
 * killed process loses at most the queue (the last second) and a power cut what the kernel had not
 * written back. When the lines appended since the last rewrite outnumber those it wrote (plus a
 * margin), the writer rewrites the file from the index: written aside, forced, moved over the old
 * one. So the file stays within about twice what the index holds. A failed write is logged and
 * leaves the index in memory; the next write rewrites the file whole rather than append after a
 * line that may be torn.
 */
final class SentMessagesJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SentMessagesJournal.class);
    static final String FILE = "sent-messages.log";
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    static final int COMPACT_MARGIN = 10_000;
    /** Deliveries queued for a writer that does not keep up (a stalled disk): past this, rewrite whole. */
    private static final int MAX_QUEUED = 100_000;
    private static final long RETRY_AFTER_FAILURE_MILLIS = 10_000;
    private static final int BAD_LINES_LOGGED = 5;

    private final Path file;
    private final Supplier<List<SentDelivery>> live;
    private final long margin;
    /** Deliveries not yet written; guarded by {@code this}, swapped out by the writer. */
    private List<SentDelivery> queued = new ArrayList<>();
    /** True when the queue overflowed: the file lacks deliveries the index holds. */
    private boolean overflowed;
    /** Guards the file: the writer thread, or {@link #close}. */
    private final Object io = new Object();
    private FileChannel out;
    private long appended;
    private long rewritten;
    /** True after a failed write, until a rewrite succeeds. */
    private boolean behind;
    private long failedAt;
    private Thread writer;
    private volatile boolean closed;

    /**
     * @param live   what the index holds, oldest first (the content of a rewrite)
     * @param margin lines appended beyond those rewritten before the next rewrite
     */
    SentMessagesJournal(Path file, Supplier<List<SentDelivery>> live, long margin) throws IOException {
        this.file = file;
        this.live = live;
        this.margin = margin;
        Files.createDirectories(file.getParent());
    }

    /** Reads every intact record, in order, into {@code into}; a bad one is skipped and logged. */
    void replay(Consumer<SentDelivery> into) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long bad = 0;
        long number = 0;
        // InputStreamReader replaces bytes that are no UTF-8 (the CRC then fails) instead of throwing
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                SentDelivery d = decode(line);
                if (d != null) {
                    into.accept(d);
                    continue;
                }
                if (bad++ < BAD_LINES_LOGGED) {
                    LOG.warn("Message-ID index {}: line {} is torn or damaged, skipped ({} chars)", file, number, line.length());
                }
            }
        }
        if (bad > 0) {
            LOG.warn("Message-ID index {}: {} of {} lines skipped as torn or damaged (a crash mid-write tears the last one);"
                    + " the rest is kept", file, bad, number);
        }
    }

    /**
     * Rewrites the file with what the index holds (no torn tail, nothing evicted) and starts the
     * writer. A disk that refuses the rewrite (full) does not stop the daemon: the writer tries again.
     */
    void start() {
        synchronized (io) {
            try {
                rewrite(live.get());
            } catch (IOException | UncheckedIOException e) {
                failed(e);
            }
        }
        writer = new Thread(this::writeLoop, "sluice-sent-messages");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a delivery for the next write: the caller never waits on the disk. */
    void record(SentDelivery d) {
        if (!d.storable()) {
            return; // a value the line cannot hold: matched in memory, not kept
        }
        synchronized (this) {
            if (queued.size() >= MAX_QUEUED) {
                queued = new ArrayList<>();
                overflowed = true;
            } else {
                queued.add(d);
            }
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_EVERY.toMillis());
            } catch (InterruptedException e) {
                return; // close() writes what is left
            }
            try {
                writeQueued();
            } catch (RuntimeException e) {
                LOG.warn("Message-ID index writer: {}", e.toString());
            }
        }
    }

    /** One step of the writer: the queue appended, or the file rewritten from the index when due. */
    void writeQueued() {
        synchronized (io) {
            List<SentDelivery> batch;
            boolean whole;
            synchronized (this) {
                batch = queued;
                queued = new ArrayList<>();
                whole = overflowed || behind || appended + batch.size() > rewritten + margin;
                overflowed = false;
            }
            if (whole) {
                if (behind && System.currentTimeMillis() - failedAt < RETRY_AFTER_FAILURE_MILLIS) {
                    synchronized (this) {
                        overflowed = true; // still behind: try again later, whole
                    }
                    return;
                }
                // the index holds every delivery of the batch (noted there before it was queued)
                try {
                    rewrite(live.get());
                    if (behind) {
                        LOG.info("Message-ID index written to {} again, whole", file);
                    }
                    behind = false;
                } catch (IOException | UncheckedIOException e) {
                    failed(e);
                }
            } else if (!batch.isEmpty()) {
                try {
                    append(batch);
                } catch (IOException e) {
                    failed(e);
                }
            }
        }
    }

    private void failed(Exception e) {
        if (!behind) {
            LOG.warn("Message-ID index not written to {}: {} (the index stays in memory; the file is rewritten whole"
                    + " when the disk takes writes again)", file, e.toString());
        }
        behind = true;
        failedAt = System.currentTimeMillis();
        closeOut();
    }

    private void append(List<SentDelivery> batch) throws IOException {
        if (out == null) {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        StringBuilder sb = new StringBuilder(batch.size() * 128);
        for (SentDelivery d : batch) {
            sb.append(encode(d)).append('\n');
            if (sb.length() > 64 * 1024) {
                write(out, sb);
            }
        }
        write(out, sb);
        appended += batch.size();
    }

    /* Written aside, forced, then moved over the old file: a crash leaves the old file or the new one, whole. */
    private void rewrite(List<SentDelivery> deliveries) throws IOException {
        closeOut();
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder sb = new StringBuilder(64 * 1024 + 2048);
            long n = 0;
            for (SentDelivery d : deliveries) {
                if (d.storable()) {
                    sb.append(encode(d)).append('\n');
                    n++;
                    if (sb.length() > 64 * 1024) {
                        write(w, sb);
                    }
                }
            }
            write(w, sb);
            w.force(true);
            rewritten = n;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        appended = 0;
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void write(FileChannel channel, StringBuilder sb) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        sb.setLength(0);
    }

    static String encode(SentDelivery d) {
        String line = d.line();
        return crc(line) + '\t' + line;
    }

    /** The delivery of an intact record, or null. */
    static SentDelivery decode(String record) {
        int tab = record.indexOf('\t');
        if (tab != 8) {
            return null;
        }
        String line = record.substring(tab + 1);
        if (!record.substring(0, tab).equals(crc(line))) {
            return null;
        }
        return SentDelivery.parse(line).orElse(null);
    }

    private static String crc(String line) {
        CRC32C c = new CRC32C();
        c.update(line.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) c.getValue());
    }

    /** Lines in the file now (tests). */
    long lines() {
        synchronized (io) {
            return rewritten + appended;
        }
    }

    private void closeOut() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", file, e.toString());
            }
            out = null;
        }
    }

    /** Writes what is queued, forces it to disk and stops the writer. */
    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (io) {
            writeQueued();
            if (out != null) {
                try {
                    out.force(false);
                } catch (IOException e) {
                    LOG.warn("Message-ID index {}: not forced to disk at close: {}", file, e.toString());
                }
            }
            closeOut();
        }
    }
}
