package io.sluice.daemon.operate.lifecycle;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * sd_notify(3) for {@code Type=notify}: sends {@code READY=1}, {@code RELOADING=1},
 * {@code STOPPING=1} as datagrams to the Unix socket named by {@code $NOTIFY_SOCKET}. Java's own
 * channels cannot send Unix datagrams; Netty's native epoll transport can. Without
 * {@code $NOTIFY_SOCKET} (not started by systemd) every call does nothing.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final DomainSocketAddress target;
    private final EventLoopGroup group;
    private final Channel channel;

    private SystemdNotifier(DomainSocketAddress target, EventLoopGroup group, Channel channel) {
        this.target = target;
        this.group = group;
        this.channel = channel;
    }

    /** A notifier for {@code $NOTIFY_SOCKET}, or one that does nothing when it is unset or unusable. */
    public static SystemdNotifier fromEnvironment() {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return new SystemdNotifier(null, null, null);
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("NOTIFY_SOCKET is set but native epoll is unavailable: cannot notify systemd");
            return new SystemdNotifier(null, null, null);
        }
        // '@' names a socket in the abstract namespace (systemd's convention)
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            DomainSocketAddress target = new DomainSocketAddress(path);
            // connected, like sd_notify's sendto(): an unbound, unconnected channel cannot send
            Channel channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(target).sync().channel();
            return new SystemdNotifier(target, group, channel);
        } catch (Exception e) {
            group.shutdownGracefully();
            LOG.warn("cannot open a datagram socket for NOTIFY_SOCKET={}: {}", socket, e.toString());
            return new SystemdNotifier(null, null, null);
        }
    }

    public void notify(String state) {
        if (channel == null) {
            return;
        }
        try {
            channel.writeAndFlush(Unpooled.wrappedBuffer(state.getBytes(StandardCharsets.UTF_8))).sync();
        } catch (Exception e) {
            LOG.warn("sd_notify {} failed: {}", state.replace('\n', ' '), e.toString());
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close();
            group.shutdownGracefully();
        }
    }
}
