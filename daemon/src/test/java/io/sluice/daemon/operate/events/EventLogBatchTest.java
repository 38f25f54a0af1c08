package io.sluice.daemon.operate.events;

import io.sluice.queue.FreeSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: the writer hands the file everything it took from the queue in one write, and a
 * write that fails partway, or after the file took part of a line, is taken up again without a
 * line written twice or left cut, and without an event announced twice.
 * The file's channel is the real one, wrapped to fail on cue (a short write then ENOSPC is what a
 * disk filling up does, and /dev/full cannot show it: it takes nothing at all).
 */
class EventLogBatchTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;
    private EventLog log;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writes = new AtomicInteger();
    /** Opens of the file still to fail (too many open files, say). */
    private final AtomicInteger failingOpens = new AtomicInteger();
    private final List<String> announced = new CopyOnWriteArrayList<>();

    /** What one write call of the channel does instead of writing everything it is given. */
    @FunctionalInterface
    private interface Fault {
        int write(FileChannel file, ByteBuffer bytes) throws IOException;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private EventLog open(Path file) throws IOException {
        EventFiles files = new EventFiles(file, 1 << 20, Duration.ofDays(1), 10, Clock.fixed(T0, ZoneOffset.UTC),
                f -> {
                    if (failingOpens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new IOException("Too many open files");
                    }
                    return new Faulty(FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                            StandardOpenOption.WRITE));
                });
        // lines of one length ("Reception m007"), so a test knows where a write of n bytes cuts
        log = new EventLog(files, (e, out) -> out.write((e.type() + " " + e.id()).getBytes(StandardCharsets.UTF_8)),
                10_000, Duration.ofMillis(5), Duration.ofMillis(20), FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        log.subscribe(e -> announced.add(e.type() + " " + e.id()));
        return log;
    }

    private static Event event(int n) {
        return Event.reception(T0, "m%03d".formatted(n), "a@sluice.test", List.of("b@example.test"), 10, null, null);
    }

    private static List<String> expected(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "Reception m%03d".formatted(i)).toList();
    }

    private static String text(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Holds the writer inside its first write until the test has queued the rest. */
    private CountDownLatch holdFirstWrite() {
        CountDownLatch release = new CountDownLatch(1);
        faults.add((file, bytes) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return file.write(bytes);
        });
        return release;
    }

    private static Fault shortWrite(int n) {
        return (file, bytes) -> {
            ByteBuffer part = bytes.slice(bytes.position(), n);
            int wrote = file.write(part);
            bytes.position(bytes.position() + wrote);
            return wrote;
        };
    }

    private static Fault diskFull(Runnable meanwhile) {
        return (file, bytes) -> {
            meanwhile.run();
            throw new IOException("No space left on device");
        };
    }

    @Test
    void eventsQueuedWhileTheWriterWritesGoOutTogetherInOrderEachLineWhole() throws Exception {
        Path file = dir.resolve("events.jsonl");
        CountDownLatch release = holdFirstWrite();
        EventLog events = open(file);
        events.publish(event(0));
        eventually("the writer is in its first write", () -> writes.get() == 1);
        for (int i = 1; i <= 500; i++) {
            events.publish(event(i));
        }
        release.countDown();
        eventually("all written", () -> announced.size() == 501);

        assertEquals(String.join("\n", expected(0, 500)) + "\n", text(file));
        assertEquals(expected(0, 500), announced);
        assertEquals(2, writes.get(), "the first event, then the 500 queued behind it in one write");
    }

    @Test
    void aWriteThatFailsAfterCuttingALineGoesOnFromWhereTheFileStopped() throws Exception {
        Path file = dir.resolve("events.jsonl");
        CountDownLatch release = holdFirstWrite();
        faults.add(shortWrite(100)); // 6 lines of 15 bytes and 10 bytes of the 7th
        faults.add(diskFull(() -> { }));
        EventLog events = open(file);
        events.publish(event(0));
        eventually("the writer is in its first write", () -> writes.get() == 1);
        for (int i = 1; i <= 100; i++) {
            events.publish(event(i));
        }
        release.countDown();
        eventually("all written", () -> announced.size() == 101);

        assertEquals(String.join("\n", expected(0, 100)) + "\n", text(file), "no line twice, none cut");
        assertEquals(expected(0, 100), announced, "each event announced once, in order");
        assertEquals(4, writes.get(), "the first event; the batch's short write and its failure; the rest in one");
        assertEquals(0, events.dropped());
    }

    @Test
    void aCutLineIsFinishedInTheSameFileEvenWhenTheFirstReopensFail() throws Exception {
        Path file = dir.resolve("events.jsonl");
        CountDownLatch release = holdFirstWrite();
        faults.add(shortWrite(100));
        faults.add(diskFull(() -> failingOpens.set(2)));
        EventLog events = open(file);
        events.publish(event(0));
        eventually("the writer is in its first write", () -> writes.get() == 1);
        for (int i = 1; i <= 100; i++) {
            events.publish(event(i));
        }
        release.countDown();
        eventually("all written", () -> announced.size() == 101);

        assertEquals(String.join("\n", expected(0, 100)) + "\n", text(file), "no line twice, none cut");
        assertEquals(expected(0, 100), announced);
        assertEquals(0, failingOpens.get());
    }

    @Test
    void aLineCutInAFileReplacedBeforeTheRetryIsWrittenWholeInTheNewFile() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Path aside = dir.resolve("events.jsonl.moved");
        CountDownLatch release = holdFirstWrite();
        faults.add(shortWrite(100));
        faults.add(diskFull(() -> {
            try {
                Files.move(file, aside); // an operator moves the full file away
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        EventLog events = open(file);
        events.publish(event(0));
        eventually("the writer is in its first write", () -> writes.get() == 1);
        for (int i = 1; i <= 100; i++) {
            events.publish(event(i));
        }
        release.countDown();
        eventually("all written", () -> announced.size() == 101);

        assertEquals(String.join("\n", expected(0, 6)) + "\nReception ", text(aside),
                "the old file keeps the part it took");
        assertEquals(String.join("\n", expected(7, 100)) + "\n", text(file),
                "the cut event starts the new file whole");
        assertEquals(expected(0, 100), announced);
    }

    @Test
    void aFileLeftEndingInsideALineIsEndedBeforeTheFirstEvent() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "Reception m000\nRecep"); // a crash or a full disk in an earlier run
        EventLog events = open(file);
        events.publish(event(1));
        eventually("written", () -> announced.size() == 1);

        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertEquals(List.of("Reception m000", "Recep", "Reception m001"), lines);
        assertTrue(text(file).endsWith("\n"));
    }

    /** The real channel, with the next scripted fault (if any) in place of each write. */
    private final class Faulty extends FileChannel {
        private final FileChannel file;

        Faulty(FileChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            writes.incrementAndGet();
            Fault fault = faults.poll();
            return fault == null ? file.write(src) : fault.write(file, src);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("the event log writes one buffer at a time");
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            file.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return file.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new UnsupportedOperationException("the event log only appends");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
