package io.sluice.daemon.cluster;

import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.daemon.outcome.suppression.SuppressionChange;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shares suppression changes between nodes through Redis: a hash {@code <prefix>suppression:list}
 * holding the latest change of every (tenant, key) the cluster knows, and a stream
 * {@code <prefix>suppression} of changes in the order Redis took them.
 *
 * <p>Every change made on this node (admin API, bounce, complaint, unsubscribe, import) is sent
 * by the <em>publisher</em>, which reads this node's suppression log from a persistent outbox
 * cursor: a change made while Redis is away, even across a restart, is sent when it returns. One
 * script per batch writes a change into the hash and the stream when it is newer than what the
 * hash has (last writer wins). The <em>reader</em>, a thread with a connection of its own,
 * follows the stream (XREAD BLOCK from the last id it applied, also persistent) and applies other
 * nodes' changes to the local store with {@link SuppressionStore#applyReplicated}: no event, not
 * published again. A node joining for the first time, or one whose unread entries were trimmed
 * from the capped stream, reads the hash instead. The local store stays the persistent copy every
 * lookup answers from; Redis only carries changes, so an outage stops propagation, never
 * enforcement.
 *
 * <p>A Redis that lost its data (restarted empty, or failed over before replicating our last
 * entries) is noticed when a node joins it: the epoch key it remembered is gone or different, or
 * the stream's newest id is older than the last one this node added. Every node then sends the
 * latest change of every key it holds again and reads the stream from its start, so what any
 * surviving node knew is shared again.
 */
public final class ClusterSuppression implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSuppression.class);
    private static final int BATCH = 500;
    static final String CURSOR_FILE = "cluster-sync.properties";
    private static final String PUBLISH_SHA = sha1(SuppressionWire.PUBLISH);

    private final RedisLink link;
    private final SuppressionStore store;
    private final String node;
    private final String streamKey;
    private final String epochKey;
    private final String listKey;
    private final long streamLength;
    private final long blockMillis;
    private final SuppressionCursor cursor;
    private final Thread reader;
    private final AtomicBoolean publishQueued = new AtomicBoolean();
    private final AtomicBoolean republishAll = new AtomicBoolean();
    private volatile boolean running = true;
    /** True once the reader joined the stream in the current connection session. */
    private volatile boolean joined;
    private StatefulRedisConnection<String, String> readConnection;
    private StatefulRedisConnection<String, String> writeConnection;

    /**
     * @param streamLength entries Redis keeps in the stream (approximately); a node that missed
     *                     more reads the whole list hash instead
     */
    public ClusterSuppression(RedisLink link, SuppressionStore store, long streamLength) {
        this.link = link;
        this.store = store;
        ClusterSettings settings = link.settings();
        this.node = settings.nodeId();
        this.streamKey = settings.key("suppression");
        this.epochKey = settings.key("suppression:epoch");
        this.listKey = settings.key("suppression:list");
        this.streamLength = streamLength;
        // below the command timeout, so a quiet stream is not taken for an outage
        this.blockMillis = Math.max(10, settings.timeout().toMillis() / 2);
        this.cursor = SuppressionCursor.load(store.dir().resolve(CURSOR_FILE));
        store.onLocalChange(this::publishSoon);
        link.onReconnect(() -> joined = false);
        link.timer().scheduleWithFixedDelay(this::publishSoon, 1, 1, TimeUnit.SECONDS);
        this.reader = new Thread(this::follow, "sluice-suppression-sync");
        reader.setDaemon(true);
        reader.start();
    }

    /** True once this node joined the stream since its last connect (tests wait for it). */
    public boolean joined() {
        return joined;
    }

    // ---- the reader: its own thread and connection, because XREAD BLOCK holds the connection ----

    private void follow() {
        boolean busy = false;
        while (running) {
            try {
                if (!link.up()) {
                    joined = false;
                    Thread.sleep(100);
                    continue;
                }
                if (readConnection == null) {
                    readConnection = link.connect();
                }
                RedisCommands<String, String> c = readConnection.sync();
                if (!joined) {
                    join(c);
                    joined = true;
                    publishSoon();
                } else if (busy && trimmedUnread(c)) {
                    // fell behind by more than the stream keeps (a burst, or every node republishing)
                    LOG.error("CLUSTER: suppression changes node {} had not read were trimmed from {} "
                            + "(sluice.cluster.suppression.stream-length); it reads the whole list again", node, streamKey);
                    readList(c);
                }
                List<StreamMessage<String, String>> batch = c.xread(XReadArgs.Builder.block(blockMillis).count(BATCH),
                        XReadArgs.StreamOffset.from(streamKey, cursor.seen()));
                busy = batch != null && !batch.isEmpty();
                if (busy) {
                    for (StreamMessage<String, String> m : batch) {
                        apply(m.getBody());
                    }
                    cursor.seen(batch.get(batch.size() - 1).getId());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                joined = false;
                LOG.debug("cluster: following suppression changes failed, resumed at the next join: {}", e.toString());
                pause(200);
            }
        }
    }

    /**
     * Checks that Redis still holds what this node last saw there. A new epoch, or a stream whose
     * newest id is older than our last entry, means Redis lost it: share everything we know again
     * and read the stream from its start (the other nodes do the same). A first join, or unread
     * entries trimmed away, means we read the whole list hash instead of the stream's history.
     */
    private void join(RedisCommands<String, String> c) {
        c.setnx(epochKey, UUID.randomUUID().toString());
        String epoch = c.get(epochKey);
        String known = cursor.epoch();
        String last = lastId(c);
        if (known != null && (!known.equals(epoch) || SuppressionCursor.compareIds(last, cursor.added()) < 0)) {
            LOG.error("CLUSTER: Redis lost the suppression list {} ({}); node {} shares every suppression it holds "
                            + "again and reads the other nodes' from the start", listKey,
                    known.equals(epoch) ? "the stream's newest id " + last + " is older than ours " + cursor.added()
                            : "epoch " + known + " is now " + epoch, node);
            cursor.restart(epoch);
            republishAll.set(true);
            return;
        }
        if (known == null) {
            LOG.info("cluster: node {} joins the suppression list {}", node, listKey);
            cursor.joined(epoch);
            readList(c);
        } else if (trimmedUnread(c)) {
            LOG.error("CLUSTER: suppression changes node {} had not read were trimmed from {} while it was away "
                    + "(sluice.cluster.suppression.stream-length); it reads the whole list again", node, streamKey);
            readList(c);
        }
    }

    /** The stream's newest id, or 0-0 when there is no stream. */
    private String lastId(RedisCommands<String, String> c) {
        if (c.exists(streamKey) == 0) {
            return SuppressionCursor.START;
        }
        List<Object> raw = c.xinfoStream(streamKey);
        for (int i = 0; i + 1 < raw.size(); i += 2) {
            if ("last-generated-id".equals(String.valueOf(raw.get(i)))) {
                return String.valueOf(raw.get(i + 1));
            }
        }
        return SuppressionCursor.START;
    }

    /**
     * True when entries this node has not read may have been trimmed: the oldest entry left is
     * newer than the last one read. (When trimming stopped exactly there this costs a needless
     * read of the list, never a missed change.)
     */
    private boolean trimmedUnread(RedisCommands<String, String> c) {
        List<StreamMessage<String, String>> first = c.xrange(streamKey, Range.create("-", "+"), Limit.from(1));
        return !first.isEmpty() && SuppressionCursor.compareIds(first.get(0).getId(), cursor.seen()) > 0;
    }

    /**
     * Applies every key's latest change from the list hash, then follows the stream from the id
     * it had before the scan: a change published meanwhile is in the stream after that id, so
     * none falls between (one found twice changes nothing).
     */
    private void readList(RedisCommands<String, String> c) {
        String from = lastId(c);
        long applied = 0;
        ScanCursor at = ScanCursor.INITIAL;
        MapScanCursor<String, String> page;
        do {
            page = c.hscan(listKey, at, ScanArgs.Builder.limit(BATCH));
            for (String value : page.getMap().values()) {
                try {
                    SuppressionWire.Received r = SuppressionWire.fromListValue(value);
                    if (!r.origin().equals(node) && store.applyReplicated(r.change(), r.origin())) {
                        applied++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cluster: ignored a malformed suppression list entry ({}): {}", e.getMessage(), value);
                }
            }
            at = page;
        } while (!page.isFinished());
        cursor.seen(from);
        LOG.info("cluster: node {} read the suppression list: {} changes applied; following from {}", node, applied, from);
    }

    private void apply(Map<String, String> entry) {
        if (node.equals(entry.get("origin"))) {
            return; // our own change, already here
        }
        try {
            SuppressionWire.Received r = SuppressionWire.fromEntry(entry);
            store.applyReplicated(r.change(), r.origin());
        } catch (RuntimeException e) {
            LOG.warn("cluster: ignored a malformed suppression change ({}): {}", e.getMessage(), entry);
        }
    }

    // ---- the publisher: on the cluster timer, woken by each local change and once a second ----

    private void publishSoon() {
        if (running && publishQueued.compareAndSet(false, true)) {
            try {
                link.timer().execute(this::publish);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                publishQueued.set(false); // shutting down
            }
        }
    }

    private synchronized void publish() {
        publishQueued.set(false);
        if (!running || !joined || !link.up()) {
            return; // the outbox cursor keeps the rest for the next join
        }
        try {
            if (writeConnection == null) {
                writeConnection = link.connect();
            }
            RedisCommands<String, String> c = writeConnection.sync();
            if (!Objects.equals(c.get(epochKey), cursor.epoch())) {
                // Redis came back empty so fast that no command of ours failed (Lettuce retries
                // them after a reconnect): the reader joins again, which finds out what was lost
                joined = false;
                return;
            }
            if (republishAll.getAndSet(false)) {
                republishEverything(c);
            }
            long before;
            do {
                before = cursor.published();
                List<SuppressionChange> batch = new ArrayList<>();
                long last = store.changesAfter(before, BATCH, logged -> {
                    if (logged.local()) {
                        batch.add(logged.change());
                    }
                });
                cursor.published(last, send(c, batch));
            } while (cursor.published() != before);
        } catch (RuntimeException e) {
            // not link.failed(e): this is our own connection; the link notices a real outage itself
            joined = false;
            LOG.debug("cluster: publishing suppression changes failed, resumed at the next join: {}", e.toString());
        }
    }

    /** The latest change of every key this node holds, its own and replicated ones: after Redis lost the list. */
    private void republishEverything(RedisCommands<String, String> c) {
        long upTo = store.lastLogIndex();
        List<SuppressionChange> batch = new ArrayList<>();
        long[] count = {0};
        String[] lastId = {null};
        try {
            store.forEachLatest(change -> {
                batch.add(change);
                if (batch.size() == BATCH) {
                    lastId[0] = Objects.requireNonNullElse(send(c, batch), lastId[0]);
                    count[0] += batch.size();
                    batch.clear();
                }
            });
            lastId[0] = Objects.requireNonNullElse(send(c, batch), lastId[0]);
            count[0] += batch.size();
            cursor.published(upTo, lastId[0]);
        } catch (RuntimeException e) {
            republishAll.set(true); // again, from the top, at the next join
            throw e;
        }
        LOG.warn("cluster: node {} shared its {} suppression keys again", node, count[0]);
    }

    /**
     * Runs the publish script over {@code changes} (one round trip for the batch); the id of the
     * last stream entry it added, or null when none was newer than what Redis holds.
     */
    private String send(RedisCommands<String, String> c, List<SuppressionChange> changes) {
        if (changes.isEmpty()) {
            return null;
        }
        List<String> args = new ArrayList<>(1 + changes.size() * SuppressionWire.ARGS);
        args.add(Long.toString(streamLength));
        for (SuppressionChange change : changes) {
            SuppressionWire.addArgs(args, change, node);
        }
        String[] keys = {listKey, streamKey};
        String[] argv = args.toArray(String[]::new);
        String last;
        try {
            last = c.evalsha(PUBLISH_SHA, ScriptOutputType.VALUE, keys, argv);
        } catch (RedisNoScriptException e) {
            last = c.eval(SuppressionWire.PUBLISH, ScriptOutputType.VALUE, keys, argv);
        }
        return last == null || last.isEmpty() ? null : last;
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (StatefulRedisConnection<String, String> c : new StatefulRedisConnection[]{readConnection, writeConnection}) {
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing a suppression sync connection: {}", e.toString());
                }
            }
        }
    }
}
