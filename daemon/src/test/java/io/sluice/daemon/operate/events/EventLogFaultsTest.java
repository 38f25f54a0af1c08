package io.sluice.daemon.operate.events;

import io.sluice.queue.FreeSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 18 items 10 and 12: the event log's writer outlives a failing disk. A write that fails
 * is tried again with back-off, with nothing it had taken lost; events that arrive while it
 * cannot write wait in a bounded queue, and those that find it full are dropped and counted; a
 * disk below its free-space floor is not written to until space returns.
 */
class EventLogFaultsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Path DEV_FULL = Path.of("/dev/full"); // every write: ENOSPC

    @TempDir
    Path dir;
    private EventLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private EventLog open(Path file, long rotateSize, int capacity, FreeSpace space) throws Exception {
        EventFiles files = new EventFiles(file, rotateSize, Duration.ofDays(1), 10, Clock.fixed(T0, ZoneOffset.UTC));
        log = new EventLog(files, (e, out) -> out.write((e.type() + " " + e.id()).getBytes(StandardCharsets.UTF_8)), capacity,
                Duration.ofMillis(5), Duration.ofMillis(20), space);
        return log;
    }

    private static Event event(int n) {
        return Event.reception(T0, "m" + n, "a@sluice.test", List.of("b@example.test"), 10, null, null);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for a condition the writer thread brings about; fails after 20 s (a hang, never a speed check). */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void eventsTakenWhileTheDiskIsFullAreWrittenOnceItTakesWritesAgain() throws Exception {
        assumeTrue(Files.isWritable(DEV_FULL), "needs /dev/full");
        Path file = dir.resolve("events.jsonl");
        Files.createSymbolicLink(file, DEV_FULL);
        EventLog events = open(file, 1 << 20, 100, FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        for (int i = 1; i <= 3; i++) {
            events.publish(event(i));
        }
        eventually("the writer finds the disk full", events::failing);

        Files.delete(file); // space returns: the path is an ordinary file again
        events.publish(event(4));
        eventually("all four written", () -> lines(file).size() == 4);
        assertEquals(List.of("Reception m1", "Reception m2", "Reception m3", "Reception m4"), lines(file));
        assertEquals(0, events.dropped());
    }

    @Test
    void theWriterSurvivesAFailedRotationAndGoesOnWriting() throws Exception {
        Path file = dir.resolve("events.jsonl");
        // the name the rotation wants is taken by a non-empty directory: the rename fails
        Path blocked = dir.resolve("events.jsonl.20260302T100000.000Z");
        Files.createDirectories(blocked.resolve("in-the-way"));
        EventLog events = open(file, 1024, 10_000, FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        for (int i = 0; i < 200; i++) { // well past 1 KB
            events.publish(event(i));
        }
        eventually("the rotation fails", events::failing);

        Files.delete(blocked.resolve("in-the-way"));
        Files.delete(blocked);
        events.publish(event(1000));
        eventually("the event published after the failure is written",
                () -> lines(file).contains("Reception m1000") || lines(blocked).contains("Reception m1000"));
        assertEquals(0, events.dropped());
    }

    @Test
    void aFullQueueDropsNewEventsCountsThemAndKeepsTheRest() throws Exception {
        assumeTrue(Files.isWritable(DEV_FULL), "needs /dev/full");
        Path file = dir.resolve("events.jsonl");
        Files.createSymbolicLink(file, DEV_FULL);
        EventLog events = open(file, 1 << 20, 4, FreeSpace.measuredBy(() -> Long.MAX_VALUE, 0));
        events.publish(event(0));
        eventually("the writer is stuck on the full disk", events::failing);
        for (int i = 1; i <= 10; i++) {
            events.publish(event(i));
        }
        assertEquals(6, events.dropped(), "four wait in the queue, the writer holds the first, six are dropped");

        Files.delete(file);
        eventually("what was kept is written", () -> lines(file).size() == 5);
        assertEquals(List.of("Reception m0", "Reception m1", "Reception m2", "Reception m3", "Reception m4"),
                lines(file));
    }

    @Test
    void nothingIsWrittenBelowTheFreeSpaceFloorAndWritingResumesWhenSpaceReturns() throws Exception {
        Path file = dir.resolve("events.jsonl");
        AtomicLong usable = new AtomicLong(1_000);
        EventLog events = open(file, 1 << 20, 100, FreeSpace.measuredBy(usable::get, 64 * 1024));
        events.publish(event(1));
        eventually("the writer holds back", events::failing);
        assertEquals(List.of(), lines(file));

        usable.set(10L << 30);
        eventually("written once space returns", () -> lines(file).size() == 1);
        eventually("the writer no longer reports a failure", () -> !events.failing());
    }
}
