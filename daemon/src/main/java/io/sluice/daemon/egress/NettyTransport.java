package io.sluice.daemon.egress;

import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.client.SmtpConnection;
import io.sluice.protocol.client.TlsSession;
import io.sluice.protocol.client.Transaction;
import io.sluice.protocol.client.TransactionResult;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** {@link Transport} over the protocol library's Netty SMTP client: what the daemon sends with. */
final class NettyTransport implements Transport {
    private final SmtpClient client;

    NettyTransport(SmtpClient client) {
        this.client = client;
    }

    @Override
    public ClientSettings settings() {
        return client.settings();
    }

    @Override
    public CompletableFuture<Connection> connect(InetSocketAddress target, InetAddress source,
                                                 ClientSettings settings) {
        return client.connect(target, source, settings).thenApply(Session::new);
    }

    private record Session(SmtpConnection connection) implements Connection {
        @Override
        public CompletableFuture<TransactionResult> send(Transaction transaction) {
            return connection.send(transaction);
        }

        @Override
        public CompletableFuture<Void> quit() {
            return connection.quit();
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public TlsSession tls() {
            return connection.tls();
        }
    }
}
