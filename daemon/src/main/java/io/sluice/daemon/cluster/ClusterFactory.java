package io.sluice.daemon.cluster;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.SpoolSettingsConfig;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * Builds cluster mode's parts when {@code sluice.cluster.redis.uri} is set, and the single-node
 * stand-ins otherwise. Without the URI no bean of this factory touches Redis or Lettuce.
 */
@Factory
final class ClusterFactory {
    static final String URI = "sluice.cluster.redis.uri";

    @Singleton
    ClusterSettings clusterSettings(Environment env, SpoolSettingsConfig spool) {
        return ClusterSettings.from(env, Path.of(spool.dir()));
    }

    @Singleton
    @Requires(property = URI)
    @Bean(preDestroy = "close")
    RedisLink redisLink(ClusterSettings settings) {
        return new RedisLink(settings);
    }

    @Singleton
    @Requires(property = URI)
    Shared clusterShared(RedisLink link) {
        return new Shared(new RedisSharedLimits(link), new RedisSharedWarmup(link), new RedisHoldBroadcast(link));
    }

    @Singleton
    @Requires(missingProperty = URI)
    Shared localShared() {
        return Shared.LOCAL;
    }

    @Singleton
    @Requires(missingProperty = URI)
    ClusterHealth singleNode() {
        return ClusterHealth.OFF;
    }
}
