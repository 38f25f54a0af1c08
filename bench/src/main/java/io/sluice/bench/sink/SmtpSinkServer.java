package io.sluice.bench.sink;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.sluice.bench.NettyTransport;
import io.sluice.bench.measure.BenchClock;
import io.sluice.bench.measure.BenchHeaders;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The bench sink: one Netty server, any number of listeners, one script and one set of counters. */
public final class SmtpSinkServer implements AutoCloseable {
    /** Told about every accepted message (on an event-loop thread: keep it quick). */
    @FunctionalInterface
    public interface Receipts {
        void received(BenchHeaders.Found message, long receivedMicros);
    }

    private final String hostname;
    private final SinkScript script;
    private final Path storeDir;
    private final SslContext tls;
    private final SinkCounters counters = new SinkCounters(BenchClock.nowMicros());
    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile Receipts receipts = (m, t) -> { };
    private volatile ComplaintReports complaints;

    public SmtpSinkServer(String hostname, SinkScript script, Path storeDir, boolean startTls, int ioThreads) {
        this(hostname, script, storeDir, startTls ? selfSigned(hostname) : null, ioThreads);
    }

    /**
     * @param tls what STARTTLS serves (a given certificate: {@link #tlsFrom}), or null for no STARTTLS
     */
    public SmtpSinkServer(String hostname, SinkScript script, Path storeDir, SslContext tls, int ioThreads) {
        this.hostname = hostname;
        this.script = script;
        this.storeDir = storeDir;
        this.group = NettyTransport.group(ioThreads);
        this.tls = tls;
    }

    /**
     * A STARTTLS context from PEM files: the certificate chain (leaf first) and its private key
     * (PKCS#8), so a test CA's certificate can be served and a verifying client tested against it.
     */
    public static SslContext tlsFrom(Path certChain, Path key) {
        try {
            return SslContextBuilder.forServer(certChain.toFile(), key.toFile()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use " + certChain + " and " + key + " for STARTTLS: " + e.getMessage(), e);
        }
    }

    private static SslContext selfSigned(String hostname) {
        try {
            SelfSignedCertificate cert = new SelfSignedCertificate(hostname);
            return SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a self-signed certificate for STARTTLS: " + e, e);
        }
    }

    /** Binds every address (port 0 picks a free one) and returns the bound addresses. */
    public List<InetSocketAddress> listen(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            AtomicInteger open = new AtomicInteger();
            int[] port = new int[1];
            ServerBootstrap b = new ServerBootstrap().group(group).channel(NettyTransport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("session", new SinkSession(SmtpSinkServer.this, port[0], open));
                        }
                    });
            Channel ch;
            try {
                ch = b.bind(address).sync().channel();
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage(), e);
            }
            InetSocketAddress local = (InetSocketAddress) ch.localAddress();
            port[0] = local.getPort();
            listeners.add(ch);
            bound.add(local);
        }
        return bound;
    }

    public void onReceipt(Receipts receipts) {
        this.receipts = receipts;
    }

    public SinkCounters counters() {
        return counters;
    }

    /**
     * Sends the complaints the script's {@code complain=N} deals as ARF reports over SMTP to
     * {@code feedbackAddress} at {@code target} (the sender's feedback listener).
     */
    public void complainTo(InetSocketAddress target, String feedbackAddress) {
        this.complaints = new ComplaintReports(target, feedbackAddress, hostname);
    }

    ComplaintReports complaints() {
        return complaints;
    }

    /** Complaint reports sent, and those that could not be. */
    public long complaintsSent() {
        return complaints == null ? 0 : complaints.sent.sum();
    }

    public long complaintsFailed() {
        return complaints == null ? 0 : complaints.failed.sum();
    }

    SinkScript script() {
        return script;
    }

    Path storeDir() {
        return storeDir;
    }

    SslContext tls() {
        return tls;
    }

    String hostname() {
        return hostname;
    }

    Receipts receipts() {
        return receipts;
    }

    @Override
    public void close() {
        listeners.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (complaints != null) {
            complaints.close();
        }
    }
}
