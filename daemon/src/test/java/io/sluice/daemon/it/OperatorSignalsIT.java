package io.sluice.daemon.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.sluice.dkim.DkimKey;
import io.sluice.dkim.DnsRecord;
import io.sluice.dkim.KeyGenerator;
import io.sluice.protocol.testing.SmtpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as systemd runs it: {@code Type=notify} readiness over $NOTIFY_SOCKET, SIGHUP
 * re-reads DKIM keys without a restart (the JVM's default would be to exit), SIGTERM stops in
 * order and exits 0.
 */
class OperatorSignalsIT {

    /** A stand-in for systemd's notify socket: a Unix datagram socket that keeps what it receives. */
    private static final class NotifySocket implements AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        private final Channel channel;

        NotifySocket(Path path) throws InterruptedException {
            channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket msg) {
                            received.add(msg.content().toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new DomainSocketAddress(path.toString())).sync().channel();
        }

        String awaitContaining(String state) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String s = received.poll(1, TimeUnit.SECONDS);
                if (s != null && s.contains(state)) {
                    return s;
                }
            }
            throw new AssertionError("no " + state + " notification");
        }

        @Override
        public void close() {
            channel.close();
            group.shutdownGracefully();
        }
    }

    @Test
    void notifiesReadyReloadsKeysOnSighupAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("sig.pem");
        DkimKey first = KeyGenerator.ed25519();
        KeyGenerator.writePem(first, keyFile);
        Path notifyPath = dir.resolve("notify.sock");
        try (NotifySocket systemd = new NotifySocket(notifyPath);
             SmtpSink sink = SmtpSink.start()) {
            try (DaemonProcess daemon = DaemonProcess.in(dir)
                    .env("NOTIFY_SOCKET", notifyPath)
                    .set("sluice.smarthost", "127.0.0.1:" + sink.port())
                    .set("sluice.dkim.domains.sig.test.selectors.k1.key-file", keyFile)
                    .start()) {
                String ready = systemd.awaitContaining("READY=1");
                assertTrue(ready.contains("MAINPID=" + daemon.pid()), ready);

                byte[] before = send(daemon, sink, "before-reload");
                verify(before, first, true);

                // rotate the key under the same selector, then SIGHUP
                DkimKey second = KeyGenerator.ed25519();
                Files.delete(keyFile);
                KeyGenerator.writePem(second, keyFile);
                daemon.signal("HUP");
                systemd.awaitContaining("RELOADING=1");
                systemd.awaitContaining("READY=1");
                byte[] after = send(daemon, sink, "after-reload");
                verify(after, second, true);
                verify(after, first, false);
                assertEquals(200, daemon.healthStatus(), "still running after SIGHUP");

                int exit = daemon.stop();
                assertNotNull(systemd.awaitContaining("STOPPING=1"));
                assertEquals(0, exit, daemon.tail());
            }
        }
    }

    private static byte[] send(DaemonProcess daemon, SmtpSink sink, String id) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.open(daemon.smtpPort())) {
            smtp.command("EHLO ops.test");
            smtp.command("MAIL FROM:<ops@sig.test>");
            smtp.command("RCPT TO:<rcpt@dest.test>");
            assertEquals(250, smtp.data("From: <ops@sig.test>\r\nTo: <rcpt@dest.test>\r\nSubject: " + id
                    + "\r\nMessage-ID: <" + id + "@sig.test>\r\n\r\nbody\r\n").code());
        }
        return SinkWaits.await(sink, id, Duration.ofSeconds(30), SinkWaits.containing("<" + id + "@sig.test>")).content();
    }

    private static void verify(byte[] message, DkimKey key, boolean passes) throws Exception {
        DkimSigningIT.Verifier.DKIMPY.requireAvailable();
        DkimSigningIT.Expected expected = new DkimSigningIT.Expected("sig.test", "k1", DnsRecord.of(key).txtValue());
        if (passes) {
            DkimSigningIT.Verifier.DKIMPY.assertPasses("signed message", message, expected);
        } else {
            DkimSigningIT.Verifier.DKIMPY.assertFails("signed message", message, expected);
        }
    }
}
