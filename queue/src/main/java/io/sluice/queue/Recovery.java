package io.sluice.queue;

import net.openhft.chronicle.bytes.Bytes;

import java.time.Instant;
import java.util.Map;

/**
 * Rebuilds the live table on open: the last complete checkpoint, then the envelopes (never the
 * bodies) of messages appended after the position it covers, then the journal records after it.
 * Outcomes for messages the table does not hold are ignored: they were final already.
 */
final class Recovery {
    private final MessageLog messages;
    private final Journal journal;
    private final Map<MessageId, LiveMessage> live;
    private long coveredIndex = -1;
    private long envelopesRead;

    Recovery(MessageLog messages, Journal journal, Map<MessageId, LiveMessage> live) {
        this.messages = messages;
        this.journal = journal;
        this.live = live;
    }

    /** How many message envelopes recovery had to read (the rest came from the checkpoint). */
    long envelopesRead() {
        return envelopesRead;
    }

    void run() {
        long begin = journal.lastCheckpointBegin();
        long[] endOfCheckpoint = {-1};
        if (begin >= 0) {
            journal.replay(begin, (type, in, index) -> {
                if (endOfCheckpoint[0] >= 0) {
                    return;
                }
                switch (type) {
                    case Journal.CP_BEGIN -> coveredIndex = in.readLong();
                    case Journal.CP_ENTRY -> restoreEntry(in);
                    case Journal.CP_END -> endOfCheckpoint[0] = index;
                    default -> throw new IllegalStateException("checkpoint at " + begin
                            + " interleaved with record type " + type);
                }
            });
        }
        messages.scanEnvelopesAfter(coveredIndex, (id, envelope, index, copied) -> {
            envelopesRead++;
            LiveMessage known = live.get(id);
            if (known != null) {
                known.moveTo(index); // a copy-forward after the checkpoint
            } else {
                live.put(id, new LiveMessage(id, envelope, index));
            }
        });
        journal.replay(endOfCheckpoint[0], (type, in, index) -> {
            if (index <= endOfCheckpoint[0]) {
                return;
            }
            switch (type) {
                case Journal.OUTCOME -> applyOutcome(in);
                case Journal.MOVED -> {
                    LiveMessage m = live.get(new MessageId(in.readUtf8()));
                    if (m != null) {
                        m.moveTo(in.readLong());
                    }
                }
                default -> { } // a checkpoint that never got its END: superseded by what we replay
            }
        });
    }

    private void restoreEntry(Bytes<?> in) {
        MessageId id = new MessageId(in.readUtf8());
        long index = in.readLong();
        Envelope envelope = MessageRecord.readEnvelope(in);
        LiveMessage m = new LiveMessage(id, envelope, index);
        int n = in.readInt();
        for (int r = 0; r < n; r++) {
            boolean done = in.readByte() == 1;
            int attempts = in.readInt();
            Instant next = in.readByte() == 1 ? Journal.readInstant(in) : null;
            m.restore(r, done, attempts, next);
        }
        live.put(id, m);
    }

    private void applyOutcome(Bytes<?> in) {
        MessageId id = new MessageId(in.readUtf8());
        int recipient = in.readInt();
        byte kind = in.readByte();
        LiveMessage m = live.get(id);
        if (m == null) {
            return;
        }
        Outcome o = Journal.readOutcome(in, kind);
        if (m.apply(recipient, o)) {
            live.remove(id);
        }
    }
}
