package io.sluice.daemon.egress;

import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.RecipientReply;
import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.client.Transaction;
import io.sluice.protocol.client.TransactionResult;
import io.sluice.protocol.smtp.SmtpReply;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A scripted receiving side for unit tests: per target address, whether it answers, whether its
 * STARTTLS works, and the reply each recipient gets. Records every connection attempt and every
 * transaction, in order. Answers at once (completed futures); the engine's executor decides when
 * the answer is acted on.
 */
final class FakeTransport implements Transport {
    /** One connection attempt: where to, from where, with which TLS mode and peer check. */
    record Attempt(InetSocketAddress target, InetAddress source, TlsMode tls, String serverName,
                   io.sluice.protocol.client.PeerAuthentication authentication) {
    }

    private final ClientSettings settings = new ClientSettings("sluice.test", Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), TlsMode.OPPORTUNISTIC);
    private final Map<InetSocketAddress, SmtpClientException.Kind> failing = new HashMap<>();
    private final Map<InetSocketAddress, Boolean> tlsBroken = new HashMap<>();
    private Function<String, SmtpReply> replies = r -> SmtpReply.of(250, "2.0.0", "ok");
    private RuntimeException nextConnectThrows;
    private RuntimeException nextSendThrows;
    final List<Attempt> attempts = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    /** QUITs sent. */
    int quits;
    final List<Transaction> transactions = new ArrayList<>();

    /** Every connection to {@code target} fails this way (CONNECT: the host is down). */
    synchronized void failConnect(InetSocketAddress target, SmtpClientException.Kind kind) {
        failing.put(target, kind);
    }

    /** STARTTLS with {@code target} fails; in clear it works. */
    synchronized void breakTls(InetSocketAddress target) {
        tlsBroken.put(target, true);
    }

    /** The reply to each RCPT, by recipient (the DATA reply is 250). */
    synchronized void answer(Function<String, SmtpReply> byRecipient) {
        this.replies = byRecipient;
    }

    /** The next call to connect throws {@code e} at once (not a failed future): a bug, a closed event loop. */
    synchronized void throwOnNextConnect(RuntimeException e) {
        this.nextConnectThrows = e;
    }

    /** The next call to send throws {@code e} at once (not a failed future). */
    synchronized void throwOnNextSend(RuntimeException e) {
        this.nextSendThrows = e;
    }

    /** The receivers close every open connection (an idle timeout of theirs, a restart). */
    synchronized void receiversClose() {
        for (Session s : sessions) {
            s.open = false;
        }
    }

    /** Connections open now. */
    synchronized long open() {
        return sessions.stream().filter(s -> s.open).count();
    }

    synchronized List<String> recipientsSent() {
        List<String> out = new ArrayList<>();
        transactions.forEach(t -> out.addAll(t.recipients()));
        return out;
    }

    @Override
    public ClientSettings settings() {
        return settings;
    }

    @Override
    public synchronized CompletableFuture<Connection> connect(InetSocketAddress target, InetAddress source,
                                                              ClientSettings settings) {
        attempts.add(new Attempt(target, source, settings.tls(), settings.serverName(), settings.authentication()));
        if (nextConnectThrows != null) {
            RuntimeException e = nextConnectThrows;
            nextConnectThrows = null;
            throw e;
        }
        SmtpClientException.Kind kind = failing.get(target);
        if (kind == null && settings.tls() != TlsMode.NONE && tlsBroken.containsKey(target)) {
            kind = SmtpClientException.Kind.TLS;
        }
        if (kind != null) {
            return CompletableFuture.failedFuture(new SmtpClientException(kind, kind + " failed (scripted)"));
        }
        Session session = new Session();
        sessions.add(session);
        return CompletableFuture.completedFuture(session);
    }

    private final class Session implements Connection {
        private boolean open = true;

        @Override
        public CompletableFuture<TransactionResult> send(Transaction transaction) {
            List<RecipientReply> rcpt = new ArrayList<>();
            synchronized (FakeTransport.this) {
                if (nextSendThrows != null) {
                    RuntimeException e = nextSendThrows;
                    nextSendThrows = null;
                    throw e;
                }
                transactions.add(transaction);
                for (String r : transaction.recipients()) {
                    rcpt.add(new RecipientReply(r, replies.apply(r)));
                }
            }
            return CompletableFuture.completedFuture(new TransactionResult(SmtpReply.of(250, "2.1.0", "ok"), rcpt,
                    SmtpReply.of(250, "2.0.0", "queued")));
        }

        @Override
        public CompletableFuture<Void> quit() {
            synchronized (FakeTransport.this) {
                quits++;
            }
            open = false;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
