package io.sluice.daemon.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's connection to the cluster's Redis, and whether it is usable. Every Lettuce type of
 * the daemon lives behind this class and the other classes of this package, which are built only
 * in cluster mode: a single node never loads Lettuce.
 *
 * <p>The link is down from the first failed command (or failed connect) until a PING answers
 * again; each change is logged once, loudly, so an operator sees the outage and its end. Parts
 * that shared state through Redis register {@link #onReconnect} to reconcile what happened while
 * it was away. Commands are bounded by {@code sluice.cluster.timeout} and fail at once while
 * disconnected: no caller waits on an outage for longer than that.
 */
public final class RedisLink implements ClusterHealth, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final ClusterSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService timer;
    private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();
    private final Map<String, String> digests = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean up;
    /** Whether a check has run: the first one's outcome is a join (or a failure to), later ones a return. */
    private boolean checked;
    private volatile boolean closed;

    public RedisLink(ClusterSettings settings) {
        this.settings = settings;
        // Lettuce's default reconnect back-off grows to 30 s; a node runs on its outage share until
        // it is back, so it should look again within a second (measured: 7.3 s with the default).
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(settings.redisUri());
        uri.setTimeout(settings.timeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sluice-cluster");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, Math.min(1000, settings.syncInterval().toMillis() * 8),
                TimeUnit.MILLISECONDS);
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** True while Redis answers. */
    public boolean up() {
        return up;
    }

    @Override
    public String mode() {
        return "cluster";
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public boolean redisUp() {
        return up;
    }

    /** The cluster's threads: parts of this package schedule their periodic sync here. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /** Runs {@code hook} on each return of the link after an outage (not on the first connect). */
    public void onReconnect(Runnable hook) {
        reconnectHooks.add(hook);
    }

    /**
     * Synchronous commands (each bounded by the timeout), or null while the link is down. A caller
     * whose command throws passes the exception to {@link #failed}.
     */
    public RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        return up && c != null ? c.sync() : null;
    }

    /**
     * A connection of the caller's own, for commands that would hold up the shared one (XREAD
     * BLOCK, a bulk of pipelined writes). It reconnects by itself; the caller closes it. Throws
     * while Redis is unreachable.
     */
    public StatefulRedisConnection<String, String> connect() {
        return client.connect();
    }

    /**
     * Runs a Lua script by its digest, loading it on the first NOSCRIPT (Redis restarted). Throws
     * what the command threw, after marking the link down; IllegalStateException while down.
     */
    @SuppressWarnings("unchecked")
    public <T> T eval(String script, ScriptOutputType type, String[] keys, String... args) {
        RedisCommands<String, String> c = commands();
        if (c == null) {
            throw new IllegalStateException("Redis is unreachable");
        }
        String sha = digests.computeIfAbsent(script, RedisLink::sha1);
        try {
            try {
                return (T) c.evalsha(sha, type, keys, args);
            } catch (RedisNoScriptException e) {
                return (T) c.eval(script, type, keys, args);
            }
        } catch (RuntimeException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * Delivers each message published on {@code channel} to {@code handler}, on a Lettuce thread
     * (so the handler must not block). Subscriptions survive outages.
     */
    public void subscribe(String channel, Consumer<String> handler) {
        channels.put(channel, handler);
        StatefulRedisPubSubConnection<String, String> p = pubSub;
        if (p != null) {
            p.async().subscribe(channel);
        }
    }

    /** Publishes; false while the link is down (the caller keeps what it must send again). */
    public boolean publish(String channel, String message) {
        RedisCommands<String, String> c = commands();
        if (c == null) {
            return false;
        }
        try {
            c.publish(channel, message);
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /** A command failed: the link is down until a PING answers again. */
    public void failed(Throwable e) {
        if (up) {
            up = false;
            LOG.error("CLUSTER: Redis at {} is unreachable ({}); node {} now runs on local limits "
                            + "({} of each global limit) and its persistent suppression list until it returns",
                    io.sluice.daemon.config.Redacted.uri(settings.redisUri()), e.toString(), settings.nodeId(), settings.outageShare());
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        boolean first = !checked;
        checked = true;
        try {
            if (connection == null) {
                connection = client.connect();
            }
            if (pubSub == null) {
                StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
                p.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        Consumer<String> h = channels.get(channel);
                        if (h != null) {
                            try {
                                h.accept(message);
                            } catch (RuntimeException e) {
                                LOG.warn("cluster message on {} failed: {}", channel, e.toString());
                            }
                        }
                    }
                });
                if (!channels.isEmpty()) {
                    p.sync().subscribe(channels.keySet().toArray(String[]::new));
                }
                pubSub = p;
            }
            connection.sync().ping();
            if (!up) {
                up = true;
                if (first) {
                    LOG.info("cluster: node {} joined through Redis at {}", settings.nodeId(), io.sluice.daemon.config.Redacted.uri(settings.redisUri()));
                } else {
                    LOG.warn("CLUSTER: Redis at {} is reachable again; node {} reconciles and shares limits again",
                            io.sluice.daemon.config.Redacted.uri(settings.redisUri()), settings.nodeId());
                    for (Runnable hook : reconnectHooks) {
                        try {
                            hook.run();
                        } catch (RuntimeException e) {
                            LOG.warn("cluster reconcile step failed (retried at the next return): {}", e.toString());
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (first) {
                LOG.error("CLUSTER: cannot reach Redis at {} ({}); node {} runs on local limits until it can",
                        io.sluice.daemon.config.Redacted.uri(settings.redisUri()), e.toString(), settings.nodeId());
            }
            failed(e);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            if (pubSub != null) {
                pubSub.close();
            }
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("closing the Redis link: {}", e.toString());
        }
    }
}
