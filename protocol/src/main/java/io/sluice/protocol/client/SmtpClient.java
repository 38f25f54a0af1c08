package io.sluice.protocol.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.protocol.client.SmtpClientException.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Opens SMTP sessions. Owns the event loops: one client serves many connections, and
 * {@link #close()} ends them all. Uses epoll when the native transport loads, NIO otherwise.
 * Thread-safe.
 */
public final class SmtpClient implements AutoCloseable {
    private final ClientSettings settings;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final SslContext sslContext;
    private final X509TrustManager webPki;

    /** A client whose Web PKI checks trust the JDK's default anchors (the {@code cacerts} file). */
    public SmtpClient(ClientSettings settings, int ioThreads) {
        this(settings, ioThreads, defaultTrust());
    }

    /**
     * @param webPki the trust anchors for sessions under {@link PeerAuthentication.WebPki}
     *               (MTA-STS, required TLS)
     */
    public SmtpClient(ClientSettings settings, int ioThreads, X509TrustManager webPki) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.webPki = Objects.requireNonNull(webPki, "webPki");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        try {
            // Opportunistic TLS does not verify (see TlsMode): every MTA does the same, since
            // MX certificates rarely name the MX and the alternative is plain text.
            this.sslContext = SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot build the TLS client context", e);
        }
    }

    /** True when the native epoll transport is in use. */
    public boolean usesEpoll() {
        return channelType == EpollSocketChannel.class;
    }

    /**
     * Connects, reads the greeting, says EHLO and starts TLS as the settings ask.
     *
     * @param localAddressOrNull the source IP to bind (a sending identity), or null for any
     * @return the ready session; or a failure with {@link SmtpClientException} of kind CONNECT
     * (including a connect timeout: the caller moves to the next host either way), GREETING,
     * TLS, TIMEOUT, PROTOCOL or CLOSED
     */
    public CompletableFuture<SmtpConnection> connect(InetSocketAddress remote, InetAddress localAddressOrNull) {
        return connect(remote, localAddressOrNull, settings);
    }

    /** The client's settings for everything but this session's EHLO name and TLS mode. */
    public ClientSettings settings() {
        return settings;
    }

    /**
     * As {@link #connect(InetSocketAddress, InetAddress)}, with settings of this session's own
     * (a sending source's EHLO name, a provider's TLS policy); build them from {@link #settings()}.
     */
    public CompletableFuture<SmtpConnection> connect(InetSocketAddress remote, InetAddress localAddressOrNull,
                                                     ClientSettings settings) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(settings, "settings");
        SmtpSessionHandler session = new SmtpSessionHandler();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("replies", new SmtpReplyDecoder())
                                .addLast("commands", new SmtpClientEncoder())
                                .addLast("session", session);
                    }
                });
        ChannelFuture connecting = localAddressOrNull == null
                ? bootstrap.connect(remote)
                : bootstrap.connect(remote, new InetSocketAddress(localAddressOrNull, 0));
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        connecting.addListener(f -> {
            Channel channel = connecting.channel();
            if (!f.isSuccess()) {
                result.completeExceptionally(new SmtpClientException(Kind.CONNECT,
                        "cannot connect to " + remote + ": " + f.cause().getMessage(), null, f.cause()));
                channel.close();
                return;
            }
            new SmtpConnection(channel, session, settings, new TlsContexts(sslContext, webPki), remote).open().whenComplete((c, e) -> {
                if (e != null) {
                    result.completeExceptionally(SmtpConnection.unwrap(e));
                } else {
                    result.complete(c);
                }
            });
        });
        return result;
    }

    /** The JDK's default trust anchors, as a PKIX trust manager. */
    public static X509TrustManager defaultTrust() {
        return trustOf(null);
    }

    /** A PKIX trust manager over {@code anchors}, or over the JDK's defaults when null. */
    public static X509TrustManager trustOf(KeyStore anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager in " + factory.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load trust anchors: " + e.getMessage(), e);
        }
    }

    /** Closes every connection and stops the event loops; waits up to a few seconds. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
