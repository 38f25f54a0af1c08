package io.sluice.daemon.cluster;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.daemon.suppression.SuppressionChange;
import io.sluice.daemon.suppression.SuppressionReason;
import io.sluice.daemon.suppression.SuppressionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shares suppression changes between nodes through one Redis stream ({@code <prefix>suppression}).
 *
 * <p>Every change made on this node (admin API, bounce, complaint, unsubscribe, import) is
 * appended to the stream by the <em>publisher</em>, which reads this node's suppression log from
 * a persistent outbox cursor: a change made while Redis is away, even across a restart, is
 * published when it returns. The <em>reader</em>, a thread with a connection of its own, follows
 * the stream (XREAD BLOCK from the last id it applied, also persistent) and applies other nodes'
 * changes to the local store with {@link SuppressionStore#applyReplicated}: last writer wins, no
 * event, not published again. The local store stays the persistent copy every lookup answers
 * from; Redis only carries changes, so an outage stops propagation, never enforcement.
 *
 * <p>A Redis that lost the stream (restarted empty, or failed over before replicating our last
 * entries) is noticed when a node joins it: the epoch key it remembered is gone or different, or
 * the stream's newest id is older than the last one this node added. That node then reads the
 * new stream from its start and republishes the latest change of every key it holds, so what any
 * surviving node knew is shared again. A node that finds entries it has not read trimmed from the
 * stream asks the others to republish likewise (a {@code resync} entry).
 */
public final class ClusterSuppression implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSuppression.class);
    private static final int BATCH = 500;
    static final String CURSOR_FILE = "cluster-sync.properties";

    private final RedisLink link;
    private final SuppressionStore store;
    private final String node;
    private final String streamKey;
    private final String epochKey;
    private final long streamLength;
    private final long blockMillis;
    private final SuppressionCursor cursor;
    private final Thread reader;
    private final AtomicBoolean publishQueued = new AtomicBoolean();
    private final AtomicBoolean republishAll = new AtomicBoolean();
    private volatile boolean running = true;
    /** True once the reader joined the stream in the current connection session. */
    private volatile boolean joined;
    /**
     * Redis's clock when this node first joined the stream (0 otherwise): the resync requests it
     * finds older than that, reading the history, were answered by the nodes that were there.
     */
    private volatile long firstJoinMillis;
    private StatefulRedisConnection<String, String> readConnection;
    private StatefulRedisConnection<String, String> writeConnection;

    /**
     * @param streamLength entries Redis keeps in the stream (approximately); a node away for longer
     *                     than that many changes asks the others to republish
     */
    public ClusterSuppression(RedisLink link, SuppressionStore store, long streamLength) {
        this.link = link;
        this.store = store;
        ClusterSettings settings = link.settings();
        this.node = settings.nodeId();
        this.streamKey = settings.key("suppression");
        this.epochKey = settings.key("suppression:epoch");
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
                }
                List<StreamMessage<String, String>> batch = c.xread(XReadArgs.Builder.block(blockMillis).count(BATCH),
                        XReadArgs.StreamOffset.from(streamKey, cursor.seen()));
                if (batch != null && !batch.isEmpty()) {
                    for (StreamMessage<String, String> m : batch) {
                        apply(m.getId(), m.getBody());
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
     * Checks that the stream is the one this node last followed. A new epoch, or a stream whose
     * newest id is older than our last entry, means Redis lost what it held: read the new stream
     * from the start and share everything we know again.
     */
    private void join(RedisCommands<String, String> c) {
        c.setnx(epochKey, UUID.randomUUID().toString());
        String epoch = c.get(epochKey);
        Map<String, Object> info = streamInfo(c);
        String last = info == null ? SuppressionCursor.START : String.valueOf(info.get("last-generated-id"));
        String known = cursor.epoch();
        boolean lostOurs = SuppressionCursor.compareIds(last, cursor.added()) < 0;
        if (known == null) {
            List<String> time = c.time();
            firstJoinMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
            LOG.info("cluster: node {} follows suppression changes in {} from the start", node, streamKey);
            cursor.joined(epoch);
        } else if (!known.equals(epoch) || lostOurs) {
            LOG.error("CLUSTER: Redis lost the suppression stream {} ({}); node {} reads it again from the start and "
                            + "republishes every suppression it holds", streamKey,
                    known.equals(epoch) ? "its newest id " + last + " is older than ours " + cursor.added()
                            : "epoch " + known + " is now " + epoch, node);
            cursor.restart(epoch);
            republishAll.set(true);
        } else if (info != null && missedTrimmed(c, info)) {
            LOG.error("CLUSTER: suppression changes node {} had not read were trimmed from {} "
                    + "(sluice.cluster.suppression.stream-length); asking every node to republish its list", node, streamKey);
            Map<String, String> body = new LinkedHashMap<>();
            body.put("type", "resync");
            body.put("origin", node);
            c.xadd(streamKey, XAddArgs.Builder.maxlen(streamLength).approximateTrimming(), body);
        }
    }

    /**
     * True when entries this node has not read may have been trimmed: the oldest entry left is
     * newer than the last one read (which may cost a needless resync when trimming stopped exactly
     * there), or, for a node that read nothing yet, the stream ever dropped an entry.
     */
    private boolean missedTrimmed(RedisCommands<String, String> c, Map<String, Object> info) {
        String seen = cursor.seen();
        if (SuppressionCursor.START.equals(seen)) {
            Object added = info.get("entries-added");
            Object length = info.get("length");
            return added instanceof Long a && length instanceof Long l && a > l;
        }
        List<StreamMessage<String, String>> first = c.xrange(streamKey, io.lettuce.core.Range.create("-", "+"),
                io.lettuce.core.Limit.from(1));
        return !first.isEmpty() && SuppressionCursor.compareIds(first.get(0).getId(), seen) > 0;
    }

    /** XINFO STREAM as a map, or null when there is no stream yet. */
    private Map<String, Object> streamInfo(RedisCommands<String, String> c) {
        if (c.exists(streamKey) == 0) {
            return null;
        }
        List<Object> raw = c.xinfoStream(streamKey);
        Map<String, Object> info = new LinkedHashMap<>();
        for (int i = 0; i + 1 < raw.size(); i += 2) {
            info.put(String.valueOf(raw.get(i)), raw.get(i + 1));
        }
        return info;
    }

    private void apply(String id, Map<String, String> body) {
        String origin = body.get("origin");
        if (origin == null || origin.equals(node)) {
            return; // our own change, already here
        }
        if ("resync".equals(body.get("type"))) {
            if (SuppressionCursor.compareIds(id, firstJoinMillis + "-0") < 0) {
                return;
            }
            LOG.warn("cluster: node {} missed trimmed suppression changes; node {} republishes its list", origin, node);
            republishAll.set(true);
            publishSoon();
            return;
        }
        try {
            store.applyReplicated(ClusterSuppression.decode(body), origin);
        } catch (RuntimeException e) {
            LOG.warn("cluster: ignored a malformed suppression change from node {} ({}): {}", origin, e.getMessage(), body);
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
            if (!java.util.Objects.equals(writeConnection.sync().get(epochKey), cursor.epoch())) {
                // Redis came back empty so fast that no command of ours failed (Lettuce retries
                // them after a reconnect): the reader joins again, which finds out what was lost
                joined = false;
                return;
            }
            if (republishAll.getAndSet(false)) {
                republishEverything();
            }
            long before;
            do {
                before = cursor.published();
                List<Map<String, String>> bodies = new ArrayList<>();
                long last = store.changesAfter(before, BATCH, logged -> {
                    if (logged.local()) {
                        bodies.add(encode(logged.change()));
                    }
                });
                cursor.published(last, send(bodies));
            } while (cursor.published() != before);
        } catch (RuntimeException e) {
            // not link.failed(e): this is our own connection; the link notices a real outage itself
            joined = false;
            LOG.debug("cluster: publishing suppression changes failed, resumed at the next join: {}", e.toString());
        }
    }

    /** The latest change of every key this node holds, its own and replicated ones: after Redis lost the stream. */
    private void republishEverything() {
        long upTo = store.lastLogIndex();
        List<Map<String, String>> bodies = new ArrayList<>();
        long[] count = {0};
        try {
            store.forEachLatest(change -> {
                bodies.add(encode(change));
                if (bodies.size() == BATCH) {
                    send(bodies);
                    count[0] += bodies.size();
                    bodies.clear();
                }
            });
            String id = send(bodies);
            count[0] += bodies.size();
            cursor.published(upTo, id);
        } catch (RuntimeException e) {
            republishAll.set(true); // again, from the top, at the next join
            throw e;
        }
        LOG.warn("cluster: node {} republished {} suppression changes", node, count[0]);
    }

    /** XADDs pipelined on our own connection; the id of the last, or null when there was none. */
    private String send(List<Map<String, String>> bodies) {
        if (bodies.isEmpty()) {
            return null;
        }
        var async = writeConnection.async();
        XAddArgs args = XAddArgs.Builder.maxlen(streamLength).approximateTrimming();
        List<RedisFuture<String>> sent = new ArrayList<>(bodies.size());
        for (Map<String, String> body : bodies) {
            sent.add(async.xadd(streamKey, args, body));
        }
        Duration wait = link.settings().timeout().multipliedBy(4);
        if (!LettuceFutures.awaitAll(wait, sent.toArray(RedisFuture[]::new))) {
            throw new IllegalStateException("XADD of " + bodies.size() + " suppression changes took over " + wait);
        }
        try {
            return sent.get(sent.size() - 1).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the stream entry: one field per part of the change, all text ----

    private Map<String, String> encode(SuppressionChange c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", "change");
        m.put("origin", node);
        m.put("action", c.action());
        m.put("tenant", c.tenant());
        m.put("key", c.key());
        m.put("reason", c.reason() == null ? "" : c.reason().label());
        m.put("source", c.source() == null ? "" : c.source());
        m.put("note", c.note() == null ? "" : c.note());
        m.put("at", Long.toString(c.at().toEpochMilli()));
        m.put("expires", c.expires() == null ? "0" : Long.toString(c.expires().toEpochMilli()));
        return m;
    }

    static SuppressionChange decode(Map<String, String> m) {
        String action = m.get("action");
        if (!SuppressionChange.ADD.equals(action) && !SuppressionChange.REMOVE.equals(action)) {
            throw new IllegalArgumentException("action " + action);
        }
        String reason = m.getOrDefault("reason", "");
        SuppressionReason r = reason.isEmpty() ? null : SuppressionReason.fromLabel(reason);
        long expires = Long.parseLong(m.getOrDefault("expires", "0"));
        String note = m.getOrDefault("note", "");
        return new SuppressionChange(action, m.get("tenant"), m.get("key"), r, m.getOrDefault("source", "cluster"),
                note.isEmpty() ? null : note, Instant.ofEpochMilli(Long.parseLong(m.get("at"))),
                expires == 0 ? null : Instant.ofEpochMilli(expires));
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
