package io.sluice.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Gives disk back. One pass:
 * <ol>
 *   <li>every {@code messages} cycle file older than the one being written whose messages are all
 *       final is deleted; one with at most {@code copyForwardMax} live messages has them copied
 *       forward first (same MessageId, forced to disk, journaled as MOVED, journal forced);</li>
 *   <li>a checkpoint of the live table is journaled and forced to disk, whatever the durability
 *       mode (in MMAP mode it would otherwise sit in the page cache);</li>
 *   <li>only then are journal cycle files before that checkpoint's cycle deleted: a power cut in
 *       between must find either the old journal or the durable checkpoint, never neither.</li>
 * </ol>
 * Passes are serialised; the spool runs one periodically and on demand.
 */
final class Reclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(Reclaimer.class);

    private final MessageLog messages;
    private final Journal journal;
    private final Map<MessageId, LiveMessage> live;
    private final DiskGuard disk;
    private final int copyForwardMax;
    private final SpoolProbe probe;

    Reclaimer(MessageLog messages, Journal journal, Map<MessageId, LiveMessage> live, DiskGuard disk,
              int copyForwardMax, SpoolProbe probe) {
        this.probe = probe;
        this.messages = messages;
        this.journal = journal;
        this.live = live;
        this.disk = disk;
        this.copyForwardMax = copyForwardMax;
    }

    synchronized void run() throws IOException {
        reclaimMessages();
        long begin = checkpoint();
        if (begin >= 0) {
            syncCheckpoint(begin);
            reclaimJournal(begin);
        }
    }

    /** Forces the journal's mapping and every cycle file from the checkpoint's on to disk. */
    private void syncCheckpoint(long begin) throws IOException {
        journal.sync();
        for (Path f : journal.files().list().tailMap(journal.cycleOf(begin), true).values()) {
            FileSync.force(f);
        }
        FileSync.forceDirectory(journal.files().dir());
        probe.checkpointSynced(begin);
    }

    private void reclaimMessages() throws IOException {
        long last = messages.lastAppendedIndex();
        if (last < 0) {
            return;
        }
        CycleFiles files = messages.files();
        int writeCycle = files.cycleOf(last);
        Map<Integer, List<LiveMessage>> byCycle = new HashMap<>();
        for (LiveMessage m : live.values()) {
            byCycle.computeIfAbsent(files.cycleOf(m.index()), c -> new ArrayList<>()).add(m);
        }
        boolean deleted = false;
        for (Map.Entry<Integer, Path> f : files.list().headMap(writeCycle, false).entrySet()) {
            List<LiveMessage> stillLive = byCycle.getOrDefault(f.getKey(), List.of());
            if (stillLive.size() > copyForwardMax) {
                continue; // too many to copy cheaply: wait until more of them are final
            }
            if (!stillLive.isEmpty() && !copyForward(stillLive)) {
                continue;
            }
            Files.deleteIfExists(f.getValue());
            deleted = true;
        }
        if (deleted) {
            messages.filesDeleted();
        }
    }

    private boolean copyForward(List<LiveMessage> toMove) throws IOException {
        List<PendingAppend> copies = new ArrayList<>(toMove.size());
        for (LiveMessage m : toMove) {
            byte[] raw = messages.readRaw(m.index());
            if (raw == null) {
                LOG.warn("live message {} not found at {} during copy-forward", m.id, m.index());
                return false;
            }
            try {
                disk.reserve(raw.length + 256L);
            } catch (SpoolFullException e) {
                LOG.warn("no space to copy {} forward; cycle kept", m.id);
                break;
            }
            PendingAppend p = PendingAppend.copy(m.id, raw, raw.length + 256L);
            messages.submit(p);
            copies.add(p);
        }
        TreeSet<Integer> newCycles = new TreeSet<>();
        for (PendingAppend p : copies) {
            try {
                newCycles.add(messages.files().cycleOf(p.done.get(30, TimeUnit.SECONDS)));
            } catch (Exception e) {
                LOG.warn("copy-forward of {} failed; cycle kept", p.id, e);
                return false;
            }
        }
        // The copies must be on disk before the originals go, whatever the durability mode.
        TreeMap<Integer, Path> onDisk = messages.files().list();
        for (int c : newCycles) {
            Path f = onDisk.get(c);
            if (f != null) {
                FileSync.force(f);
            }
        }
        FileSync.forceDirectory(messages.files().dir());
        synchronized (journal.lock()) {
            for (PendingAppend p : copies) {
                LiveMessage m = live.get(p.id);
                if (m != null) {
                    m.moveTo(p.index);
                }
                journal.moved(p.id, p.index);
            }
        }
        journal.sync();
        Path journalFile = journal.files().list().lastEntry() == null ? null
                : journal.files().list().lastEntry().getValue();
        if (journalFile != null) {
            FileSync.force(journalFile);
        }
        return copies.size() == toMove.size();
    }

    /** Journals a checkpoint; returns its BEGIN index, or -1 if there was no room to write it. */
    long checkpoint() {
        synchronized (journal.lock()) {
            long estimate = 256L * (live.size() + 1);
            if (!disk.tryReserveJournal(estimate)) {
                LOG.warn("no space for a journal checkpoint; skipped");
                return -1;
            }
            try {
                return journal.checkpoint(messages.lastAppendedIndex(), live.values());
            } finally {
                disk.release(estimate);
            }
        }
    }

    private void reclaimJournal(long checkpointBegin) throws IOException {
        int keepFrom = Math.min(journal.cycleOf(checkpointBegin), journal.currentCycle());
        boolean deleted = false;
        for (Path f : journal.files().list().headMap(keepFrom, false).values()) {
            Files.deleteIfExists(f);
            deleted = true;
        }
        if (deleted) {
            journal.filesDeleted();
        }
    }
}
