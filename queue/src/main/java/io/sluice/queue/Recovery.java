package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * Rebuilds the live table on open: the last complete checkpoint, then the envelopes (never the
 * bodies) of messages appended after the position it covers, then the journal records after it.
 * Outcomes for messages the table does not hold are ignored: they were final already.
 *
 * <p>Nothing read from disk is trusted: a record that does not decode is handed to the
 * {@link Quarantine} and recovery goes on without it, because refusing to start would hold every
 * other message hostage to one bad record. A checkpoint with a bad entry is not used at all:
 * recovery then reads every message and journal record still on disk, which may resurrect
 * deliveries already final (a duplicate, within the at-least-once promise) but loses none.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final MessageLog messages;
    private final Journal journal;
    private final Map<MessageId, LiveMessage> live;
    private final Quarantine quarantine;
    private long coveredIndex = -1;
    private long envelopesRead;

    Recovery(MessageLog messages, Journal journal, Map<MessageId, LiveMessage> live, Quarantine quarantine) {
        this.messages = messages;
        this.journal = journal;
        this.live = live;
        this.quarantine = quarantine;
    }

    /** How many message envelopes recovery had to read (the rest came from the checkpoint). */
    long envelopesRead() {
        return envelopesRead;
    }

    void run() {
        long endOfCheckpoint = restoreCheckpoint(journal.lastCheckpointBegin());
        if (endOfCheckpoint < 0) {
            live.clear();
            coveredIndex = -1;
        }
        messages.scanEnvelopesAfter(coveredIndex, (id, envelope, index, copied) -> {
            envelopesRead++;
            LiveMessage known = live.get(id);
            if (known != null) {
                known.moveTo(index); // a copy-forward after the checkpoint
            } else {
                live.put(id, new LiveMessage(id, envelope, index));
            }
        }, (index, raw, why) -> quarantine.keep("messages", index, raw, why));
        long after = endOfCheckpoint;
        journal.replay(endOfCheckpoint, (type, in, index) -> {
            if (index <= after) {
                return;
            }
            switch (type) {
                case Journal.OUTCOME -> applyOutcome(in);
                case Journal.MOVED -> {
                    LiveMessage m = live.get(MessageRecord.readId(in));
                    if (m != null) {
                        m.moveTo(in.readLong());
                    }
                }
                case Journal.CP_BEGIN, Journal.CP_ENTRY, Journal.CP_END -> {
                    // a checkpoint that never got its END: superseded by what we replay
                }
                default -> throw new CorruptRecordException("unknown journal record type " + type);
            }
        }, (index, raw, why) -> quarantine.keep("journal", index, raw, why));
    }

    /**
     * Restores the checkpoint that begins at {@code begin}; returns the index of its END, or -1
     * when there is none or it cannot be trusted whole (the caller then recovers from scratch).
     */
    private long restoreCheckpoint(long begin) {
        if (begin < 0) {
            return -1;
        }
        long[] end = {-1};
        boolean[] broken = {false};
        try {
            journal.replay(begin, (type, in, index) -> {
                if (end[0] >= 0 || broken[0]) {
                    return;
                }
                switch (type) {
                    case Journal.CP_BEGIN -> coveredIndex = in.readLong();
                    case Journal.CP_ENTRY -> restoreEntry(in);
                    case Journal.CP_END -> end[0] = index;
                    default -> throw new CorruptRecordException("checkpoint at " + begin
                            + " interleaved with record type " + type);
                }
            }, (index, raw, why) -> {
                if (end[0] < 0 && !broken[0]) {
                    broken[0] = true;
                    quarantine.keep("journal", index, raw, why);
                }
            });
        } catch (IllegalStateException gone) {
            LOG.error("spool recovery: {}; recovering from every record on disk instead", gone.getMessage());
            return -1;
        }
        if (broken[0]) {
            LOG.error("spool recovery: the checkpoint at journal index {} has a bad entry; recovering from "
                    + "every record on disk instead (deliveries already final may be retried once)", begin);
            return -1;
        }
        return end[0];
    }

    private void restoreEntry(Bytes<?> in) {
        MessageId id = MessageRecord.readId(in);
        long index = in.readLong();
        Envelope envelope = MessageRecord.readEnvelope(in);
        LiveMessage m = new LiveMessage(id, envelope, index);
        int n = in.readInt();
        if (n != m.recipients()) {
            throw new CorruptRecordException("checkpoint entry for " + id + " has " + n + " recipient states for "
                    + m.recipients() + " recipients");
        }
        for (int r = 0; r < n; r++) {
            boolean done = in.readByte() == 1;
            int attempts = in.readInt();
            Instant next = in.readByte() == 1 ? Journal.readInstant(in) : null;
            m.restore(r, done, attempts, next);
        }
        live.put(id, m);
    }

    private void applyOutcome(Bytes<?> in) {
        MessageId id = MessageRecord.readId(in);
        int recipient = in.readInt();
        byte kind = in.readByte();
        Outcome o = Journal.readOutcome(in, kind); // decoded whole before it changes anything
        LiveMessage m = live.get(id);
        if (m == null) {
            return;
        }
        MessageRecord.checkCount("recipient index", recipient, 0, m.recipients() - 1L);
        if (m.apply(recipient, o)) {
            live.remove(id);
        }
    }
}
