package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A burst of clients connecting at once (a campaign's injectors starting together, a pool of
 * workers reconnecting after a restart) is greeted, every one of them: none is left with a
 * connection its side thinks is open and a greeting that never comes.
 */
class ConnectBurstIT {
    private static final int CLIENTS = 800;

    @Test
    void everyClientOfABurstIsGreeted(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.smtp.max-connections", 2 * CLIENTS)
                .set("sluice.limits.max-connections-per-ip", 2 * CLIENTS)
                .start();
             Selector selector = Selector.open()) {
            List<SocketChannel> clients = new ArrayList<>();
            try {
                // every connect is started before any greeting is read, as fast as the kernel takes them
                for (int i = 0; i < CLIENTS; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress("127.0.0.1", daemon.smtpPort()));
                    c.register(selector, SelectionKey.OP_CONNECT, new StringBuilder());
                    clients.add(c);
                }
                int greeted = greetings(selector, clients.size(), 30_000);
                assertEquals(CLIENTS, greeted, "clients greeted with 220 within 30 s of a burst of " + CLIENTS);
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    /** Counts the clients whose first line is a 220, until all are or the time is up. */
    private static int greetings(Selector selector, int clients, long millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        int greeted = 0;
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (greeted < clients && System.currentTimeMillis() < end) {
            selector.select(200);
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                SocketChannel c = (SocketChannel) key.channel();
                if (key.isConnectable()) {
                    if (c.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                if (!key.isReadable()) {
                    continue;
                }
                buf.clear();
                int n = c.read(buf);
                StringBuilder line = (StringBuilder) key.attachment();
                if (n > 0) {
                    line.append(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
                }
                int eol = line.indexOf("\r\n");
                if (eol >= 0 || n < 0) {
                    if (line.toString().startsWith("220 ")) {
                        greeted++;
                    }
                    key.cancel();
                }
            }
        }
        return greeted;
    }
}
