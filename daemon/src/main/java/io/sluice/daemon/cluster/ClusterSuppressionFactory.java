package io.sluice.daemon.cluster;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.outcome.feedback.SoftBounceCounters;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.SentMessages;

/**
 * Starts sharing suppression changes, soft-bounce counts and the Message-ID index in cluster mode
 * only ({@code sluice.cluster.redis.uri} set); built at start ({@code @Context}) since nothing asks
 * for them. A single node has no such bean.
 */
@Factory
final class ClusterSuppressionFactory {
    static final String STREAM_LENGTH = "sluice.cluster.suppression.stream-length";

    @Context
    @Requires(property = ClusterFactory.URI)
    @Bean(preDestroy = "close")
    ClusterSuppression clusterSuppression(RedisLink link, SuppressionStore store, Environment env) {
        long length = env.getProperty(STREAM_LENGTH, Long.class).orElse(1_000_000L);
        if (length < 1000) {
            throw new ConfigException(STREAM_LENGTH, String.valueOf(length),
                    "must be at least 1000 (changes a node may miss before it needs a full resync)");
        }
        return new ClusterSuppression(link, store, length);
    }

    /** Shares soft-bounce counts in cluster mode only; built at start since nothing asks for it. */
    @Context
    @Requires(property = ClusterFactory.URI)
    @Bean(preDestroy = "close")
    ClusterSoftBounces clusterSoftBounces(RedisLink link, SoftBounceCounters counters) {
        return new ClusterSoftBounces(link, counters);
    }

    /** Shares the Message-ID index in cluster mode only; built at start since nothing asks for it. */
    @Context
    @Requires(property = ClusterFactory.URI)
    @Bean(preDestroy = "close")
    ClusterSentMessages clusterSentMessages(RedisLink link, SentMessages index) {
        return new ClusterSentMessages(link, index);
    }
}
