package io.sluice.daemon.cluster;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterSettingsTest {
    private static final Path SPOOL = Path.of("/var/spool/sluice");

    private static ClusterSettings settings(Map<String, Object> values) {
        Environment env = new DefaultEnvironment(() -> java.util.List.of("test"));
        env.addPropertySource(PropertySource.of("test", values));
        env.start();
        try {
            return ClusterSettings.from(env, SPOOL);
        } finally {
            env.stop();
        }
    }

    @Test
    void offWithoutAUriWithDefaultsOtherwise() {
        ClusterSettings off = settings(Map.of());
        assertFalse(off.enabled());
        ClusterSettings on = settings(Map.of("sluice.cluster.redis.uri", "redis://127.0.0.1:6390"));
        assertTrue(on.enabled());
        assertEquals(0.5, on.outageShare());
        assertEquals(Duration.ofMillis(250), on.lease());
        assertEquals("sluice:throttle", on.key("throttle"));
        assertEquals(on.nodeId(), settings(Map.of()).nodeId(), "the default node id is stable");
        assertNotEquals(on.nodeId(), ClusterSettings.from(new DefaultEnvironment(() -> java.util.List.of("x")),
                Path.of("/srv/other-spool")).nodeId(), "two spools on one host are two nodes");
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("sluice.cluster.redis.uri", assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.redis.uri", "http://127.0.0.1:6379"))).key());
        assertEquals("sluice.cluster.outage-share", assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.redis.uri", "redis://h", "sluice.cluster.outage-share", "1.5"))).key());
        assertEquals("sluice.cluster.node-id", assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.node-id", "has space"))).key());
        assertEquals("sluice.cluster.node-ttl", assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.node-ttl", "50ms"))).key());
        assertEquals("sluice.cluster.lease", assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.lease", "soon"))).key());
    }

    @Test
    void aBadRedisUriIsNamedWithoutItsPassword() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(Map.of("sluice.cluster.redis.uri", "http://:s3cret-pass@redis.internal:6379")));
        assertTrue(e.getMessage().contains("sluice.cluster.redis.uri"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-pass"), e.getMessage());
    }
}
