package io.sluice.daemon.egress;

import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.TlsSession;
import io.sluice.protocol.client.Transaction;
import io.sluice.protocol.client.TransactionResult;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's one way to a receiving server: connect to a target from a source with settings,
 * then send transactions on the connection. In production {@link NettyTransport} carries it over
 * {@code protocol.client.SmtpClient}; unit tests answer with a scripted fake, so the engine can be
 * driven in milliseconds without a socket. Failures arrive as an exceptionally completed future,
 * usually with an {@code SmtpClientException} saying which step failed.
 */
interface Transport {

    /** The client settings every connection starts from (EHLO name, timeouts, TLS mode). */
    ClientSettings settings();

    /**
     * @param source the local address to bind, or null for the system's choice
     */
    CompletableFuture<Connection> connect(InetSocketAddress target, InetAddress source, ClientSettings settings);

    /** An open SMTP session: greeted, EHLO done, STARTTLS done when it was asked for. */
    interface Connection {
        CompletableFuture<TransactionResult> send(Transaction transaction);

        CompletableFuture<Void> quit();

        boolean isOpen();

        /** What STARTTLS gave this session; clear text unless the transport says otherwise. */
        default TlsSession tls() {
            return TlsSession.CLEAR;
        }
    }
}
