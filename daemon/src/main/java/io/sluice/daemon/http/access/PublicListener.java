package io.sluice.daemon.http.access;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.http.server.netty.NettyEmbeddedServerFactory;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.runtime.ApplicationConfiguration;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.config.PublicListenerSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The public HTTP listener ({@code sluice.http.public.host}:{@code sluice.http.public.port}), a
 * second Netty server sharing the daemon's routes; {@link ListenerFilter} lets only the public
 * paths through it. Its own limits are tighter than the operator listener's: nothing public takes
 * a body beyond the 26 bytes of an RFC 8058 POST, and strangers get no long idle connections.
 */
@Context
@Requires(property = "sluice.http.public.port") // unset: no public listener (notEquals alone passes when unset)
@Requires(property = "sluice.http.public.port", notEquals = "0")
@Requires(notEnv = Environments.CHECK_CONFIG)
public final class PublicListener {
    private static final Logger LOG = LoggerFactory.getLogger(PublicListener.class);
    static final long MAX_BODY = 64 * 1024;

    private final NettyEmbeddedServer server;

    public PublicListener(PublicListenerSettings settings, NettyEmbeddedServerFactory factory,
                          ApplicationConfiguration application) {
        NettyHttpServerConfiguration config = new NettyHttpServerConfiguration(application);
        config.setHost(settings.host());
        config.setPort(settings.port());
        config.setMaxRequestSize(MAX_BODY);
        config.setMaxRequestBufferSize(MAX_BODY);
        config.setIdleTimeout(Duration.ofSeconds(30));
        config.setReadTimeout(30);
        this.server = factory.build(config);
        server.start();
        LOG.info("public HTTP listener on {}:{} (unsubscribe and tracking paths only)", settings.host(), settings.port());
    }

    @PreDestroy
    void stop() {
        server.stop();
    }
}
