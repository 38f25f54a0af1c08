package io.sluice.daemon.cluster;

import io.micronaut.core.value.PropertyResolver;
import io.sluice.daemon.config.ConfigException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cluster mode's settings ({@code sluice.cluster.*}). Cluster mode is on when, and only when,
 * {@code sluice.cluster.redis.uri} is set; a bad value is a ConfigException naming its key.
 *
 * @param redisUri      {@code redis://host:port[/db]} (or {@code rediss://}); null: single node
 * @param nodeId        this node's name in the cluster; stable across restarts (its leases are its own)
 * @param keyPrefix     prefix of every Redis key and channel, so clusters can share one Redis
 * @param outageShare   the fraction of each global limit a node allows itself while Redis is unreachable
 * @param lease         how far ahead a node leases message slots of a global rate
 * @param syncInterval  how often a node renews its leases and checks the link
 * @param timeout       Redis command timeout; a command that takes longer counts as an outage
 * @param nodeTtl       how long the leases of a node that stopped talking to Redis stay counted
 */
public record ClusterSettings(String redisUri, String nodeId, String keyPrefix, double outageShare,
                              Duration lease, Duration syncInterval, Duration timeout, Duration nodeTtl) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public boolean enabled() {
        return redisUri != null;
    }

    /** A Redis key (or channel) of this cluster. */
    public String key(String name) {
        return keyPrefix + name;
    }

    public static ClusterSettings from(PropertyResolver env, Path spoolDir) {
        String uri = env.getProperty("sluice.cluster.redis.uri", String.class).filter(s -> !s.isBlank())
                .map(String::trim).orElse(null);
        if (uri != null) {
            String scheme = URI.create(uri.replace(" ", "%20")).getScheme();
            if (scheme == null || !(scheme.toLowerCase(Locale.ROOT).startsWith("redis"))) {
                throw new ConfigException("sluice.cluster.redis.uri", io.sluice.daemon.config.Redacted.uri(uri),
                        "must be a redis:// or rediss:// URI (redis://127.0.0.1:6379)");
            }
        }
        String node = env.getProperty("sluice.cluster.node-id", String.class).filter(s -> !s.isBlank())
                .orElseGet(() -> defaultNodeId(spoolDir));
        if (!NODE_ID.matcher(node).matches()) {
            throw new ConfigException("sluice.cluster.node-id", node, "must be 1-64 of A-Z a-z 0-9 . _ : -");
        }
        String prefix = env.getProperty("sluice.cluster.key-prefix", String.class).orElse("sluice:");
        double share = env.getProperty("sluice.cluster.outage-share", Double.class).orElse(0.5);
        if (!(share > 0 && share <= 1)) {
            throw new ConfigException("sluice.cluster.outage-share", String.valueOf(share), "must be in (0, 1]");
        }
        Duration lease = positive(env, "sluice.cluster.lease", Duration.ofMillis(250));
        Duration sync = positive(env, "sluice.cluster.sync-interval", Duration.ofMillis(25));
        Duration timeout = positive(env, "sluice.cluster.timeout", Duration.ofMillis(500));
        Duration ttl = positive(env, "sluice.cluster.node-ttl", Duration.ofSeconds(10));
        if (ttl.compareTo(sync.multipliedBy(4)) < 0) {
            throw new ConfigException("sluice.cluster.node-ttl", ttl.toString(),
                    "must be at least 4 x sluice.cluster.sync-interval, or live nodes lose their leases");
        }
        return new ClusterSettings(uri, node, prefix, share, lease, sync, timeout, ttl);
    }

    private static Duration positive(PropertyResolver env, String key, Duration dflt) {
        String raw = env.getProperty(key, String.class).orElse(null);
        Duration d;
        try {
            d = raw == null ? dflt : env.getProperty(key, Duration.class).orElse(null);
        } catch (RuntimeException e) {
            d = null;
        }
        if (d == null) {
            throw new ConfigException(key, raw, "not a duration (250ms, 10s)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key, d.toString(), "must be > 0");
        }
        return d;
    }

    /* Host name plus a hash of the spool directory: stable across restarts, distinct for two daemons on one host. */
    private static String defaultNodeId(Path spoolDir) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        if (host.length() > 50) {
            host = host.substring(0, 50);
        }
        return host + "-" + Integer.toHexString(spoolDir.toAbsolutePath().normalize().toString().hashCode());
    }
}
