package io.sluice.protocol.client;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.sluice.protocol.address.MailAddress;
import io.sluice.protocol.client.SmtpClientException.Kind;
import io.sluice.protocol.smtp.SmtpReply;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SMTP session with one server, ready for transactions once {@link SmtpClient#connect}
 * completes.
 *
 * <p>Thread-safety: one transaction at a time. {@link #send} fails with
 * {@link IllegalStateException} while another send is in flight; the daemon's connection pool
 * hands a connection to one delivery at a time. The accessors may be read from any thread.
 *
 * <p>Futures complete on the connection's event loop; blocking in their callbacks stalls every
 * connection on that loop.
 */
public final class SmtpConnection {
    private final Channel channel;
    private final SmtpSessionHandler session;
    private final ClientSettings settings;
    private final TlsContexts tlsContexts;
    private final InetSocketAddress remote;
    private final AtomicBoolean busy = new AtomicBoolean();

    private volatile SmtpReply greeting;
    private volatile Map<String, String> extensions = Map.of();
    private volatile boolean tlsActive;
    private volatile TlsSession tlsSession = TlsSession.CLEAR;
    /* MAIL was accepted and the transaction has not ended with a DATA reply: RSET before the next. */
    private boolean transactionOpen;

    SmtpConnection(Channel channel, SmtpSessionHandler session, ClientSettings settings,
                   TlsContexts tlsContexts, InetSocketAddress remote) {
        this.channel = channel;
        this.session = session;
        this.settings = settings;
        this.tlsContexts = tlsContexts;
        this.remote = remote;
    }

    /** The 220 banner. */
    public SmtpReply greeting() {
        return greeting;
    }

    /** EHLO keywords, upper-case ("SIZE", "8BITMIME", "STARTTLS", ...); empty after HELO. */
    public Set<String> extensions() {
        return extensions.keySet();
    }

    /** The parameters after an EHLO keyword ({@code "10240000"} for SIZE), "" when it has none. */
    public Optional<String> extensionParameters(String keyword) {
        return Optional.ofNullable(extensions.get(keyword.toUpperCase(Locale.ROOT)));
    }

    public boolean tlsActive() {
        return tlsActive;
    }

    /** What STARTTLS gave: protocol, cipher and the certificate verdict; {@link TlsSession#CLEAR} without TLS. */
    public TlsSession tls() {
        return tlsSession;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /* ---------------------------------------------------------------- session setup */

    /** Greeting, EHLO (HELO fallback), STARTTLS if wanted and offered, EHLO again. */
    CompletableFuture<SmtpConnection> open() {
        return onLoop(() -> session.expect(settings.greetingTimeout(), "the greeting")
                .thenCompose(banner -> {
                    greeting = banner.reply();
                    if (banner.reply().code() / 100 != 2) {
                        // RFC 5321 §3.1: 554 (or 421) instead of 220 means "go away"; send QUIT only after 554.
                        channel.close();
                        throw fail(Kind.GREETING, "server refused the session", banner.reply());
                    }
                    return hello();
                })
                .thenCompose(ignored -> startTlsIfWanted())
                .thenApply(ignored -> this)
                .whenComplete((c, e) -> {
                    if (e != null) {
                        channel.close();
                    }
                }));
    }

    private CompletableFuture<Void> hello() {
        return command("EHLO " + settings.ehloName(), settings.commandTimeout()).thenCompose(ehlo -> {
            if (ehlo.reply().code() == 250) {
                extensions = parseExtensions(ehlo.lines());
                return CompletableFuture.completedFuture(null);
            }
            if (!ehlo.reply().isPermanent()) {
                throw fail(Kind.PROTOCOL, "EHLO refused", ehlo.reply());
            }
            // RFC 5321 §3.2: a server that does not know EHLO answers 5xx; fall back to HELO.
            return command("HELO " + settings.ehloName(), settings.commandTimeout()).thenAccept(helo -> {
                if (helo.reply().code() != 250) {
                    throw fail(Kind.PROTOCOL, "HELO refused", helo.reply());
                }
                extensions = Map.of();
            });
        });
    }

    private CompletableFuture<Void> startTlsIfWanted() {
        TlsMode mode = settings.tls();
        boolean offered = extensions.containsKey("STARTTLS");
        if (mode == TlsMode.NONE || (!offered && mode == TlsMode.OPPORTUNISTIC)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!offered) {
            return CompletableFuture.failedFuture(new SmtpClientException(Kind.TLS, "TLS required but STARTTLS not offered"));
        }
        return command("STARTTLS", settings.commandTimeout()).thenCompose(reply -> {
            if (reply.reply().code() != 220) {
                if (mode == TlsMode.REQUIRED) {
                    throw fail(Kind.TLS, "TLS required but STARTTLS refused", reply.reply());
                }
                return CompletableFuture.completedFuture(null); // RFC 3207 §4: go on in clear
            }
            return handshake().thenCompose(ignored -> {
                tlsActive = true;
                // RFC 3207 §4.2: forget everything learned before TLS and ask again.
                extensions = Map.of();
                return hello();
            });
        });
    }

    private CompletableFuture<Void> handshake() {
        PeerAuthentication how = settings.authentication();
        String serverName = settings.serverName() != null ? settings.serverName() : remote.getHostString();
        SslHandler ssl;
        PeerTrust trust = null;
        try {
            if (how instanceof PeerAuthentication.Any) {
                ssl = tlsContexts.opportunistic().newHandler(channel.alloc(), serverName, remote.getPort());
            } else {
                trust = tlsContexts.trustFor(how, serverName);
                ssl = tlsContexts.forPolicy(trust).newHandler(channel.alloc(), serverName, remote.getPort());
            }
        } catch (SSLException e) {
            SmtpClientException failure = new SmtpClientException(Kind.TLS, "cannot set up TLS: " + e.getMessage(), null, e);
            session.fail(failure);
            return CompletableFuture.failedFuture(failure);
        }
        ssl.setHandshakeTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        channel.pipeline().addFirst("tls", ssl);
        PeerTrust verdict = trust;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ssl.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                SmtpClientException e = new SmtpClientException(Kind.TLS, "TLS handshake failed: " + f.cause(), null, f.cause());
                session.fail(e);
                done.completeExceptionally(e);
                return;
            }
            // RFC 3207 §5 and CVE-2011-0411: bytes that came in clear after the 220 to STARTTLS
            // were put there by someone between us and the server, and would otherwise be read as
            // answers to what we say inside TLS. Nothing may wait in the decoder or the session.
            SmtpReplyDecoder decoder = channel.pipeline().get(SmtpReplyDecoder.class);
            if ((decoder != null && decoder.hasBufferedInput()) || session.hasUnsolicited()) {
                SmtpClientException e = new SmtpClientException(Kind.TLS,
                        "plaintext followed the STARTTLS reply (response injection); session abandoned");
                session.fail(e);
                done.completeExceptionally(e);
                return;
            }
            javax.net.ssl.SSLSession tls = ssl.engine().getSession();
            tlsSession = new TlsSession(tls.getProtocol(), tls.getCipherSuite(),
                    verdict == null ? TlsSession.Verification.NOT_CHECKED : verdict.verification(),
                    verdict == null ? null : verdict.failure());
            done.complete(null);
        });
        return done;
    }

    static Map<String, String> parseExtensions(List<String> lines) {
        Map<String, String> found = new LinkedHashMap<>();
        // The first line is the server's name (RFC 5321 §4.1.1.1); each later line is "keyword params".
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String ext = line.length() > 4 ? line.substring(4).strip() : "";
            if (ext.isEmpty()) {
                continue; // smtp-sink ends with a bare "250 "
            }
            int sp = ext.indexOf(' ');
            String keyword = (sp < 0 ? ext : ext.substring(0, sp)).toUpperCase(Locale.ROOT);
            found.put(keyword, sp < 0 ? "" : ext.substring(sp + 1).strip());
        }
        return Collections.unmodifiableMap(found);
    }

    /* ---------------------------------------------------------------- transactions */

    /**
     * Runs one mail transaction: RSET if the previous one was left open, MAIL FROM (with SIZE and
     * BODY=8BITMIME when advertised and due), one RCPT TO per recipient, and DATA only if at least
     * one recipient was accepted.
     *
     * <p>Refusals of MAIL, RCPT or DATA are values in the result. The future fails with
     * {@link SmtpClientException} when the session breaks: a 421 (kind PROTOCOL, with the reply),
     * a timeout, a closed connection, a malformed reply, or a refused RSET.
     */
    public CompletableFuture<TransactionResult> send(Transaction t) {
        if (!busy.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("a transaction is already running on this connection"));
        }
        return onLoop(() -> resetIfNeeded()
                .thenCompose(ignored -> mail(t))
                .whenComplete((r, e) -> busy.set(false)));
    }

    private CompletableFuture<Void> resetIfNeeded() {
        if (!transactionOpen) {
            return CompletableFuture.completedFuture(null);
        }
        return command("RSET", settings.commandTimeout()).thenAccept(reply -> {
            if (!reply.reply().isPositive()) {
                throw fail(Kind.PROTOCOL, "RSET refused", reply.reply());
            }
            transactionOpen = false;
        });
    }

    private CompletableFuture<TransactionResult> mail(Transaction t) {
        SmtpReply refusal = refuseLocally(t);
        if (refusal != null) {
            return CompletableFuture.completedFuture(new TransactionResult(refusal, List.of(), null));
        }
        if (extensions.containsKey("PIPELINING")) {
            return pipelined(t);
        }
        return command(mailCommand(t), settings.commandTimeout()).thenCompose(mail -> {
            if (!mail.reply().isPositive()) {
                return CompletableFuture.completedFuture(new TransactionResult(mail.reply(), List.of(), null));
            }
            transactionOpen = true;
            List<RecipientReply> replies = new ArrayList<>(t.recipients().size());
            return recipients(t, 0, replies).thenCompose(ignored -> afterRecipients(t, mail.reply(), replies));
        });
    }

    private CompletableFuture<TransactionResult> afterRecipients(Transaction t, SmtpReply mail,
                                                                 List<RecipientReply> replies) {
        boolean anyAccepted = replies.stream().anyMatch(r -> r.reply().isPositive());
        if (!anyAccepted) {
            return CompletableFuture.completedFuture(new TransactionResult(mail, replies, null));
        }
        return data(t).thenApply(dataReply -> new TransactionResult(mail, replies, dataReply));
    }

    /*
     * RFC 2920: MAIL and every RCPT go out in one write; the replies come back in order. DATA is
     * sent on its own once some RCPT was accepted, so a message never follows a transaction
     * that has no recipient.
     */
    private CompletableFuture<TransactionResult> pipelined(Transaction t) {
        List<CompletableFuture<ReplyLines>> pending = new ArrayList<>(t.recipients().size() + 1);
        pending.add(session.expect(settings.commandTimeout(), "MAIL"));
        for (int i = 0; i < t.recipients().size(); i++) {
            pending.add(session.expect(settings.commandTimeout(), "RCPT"));
        }
        channel.write(new SmtpCommand(mailCommand(t)));
        for (String recipient : t.recipients()) {
            channel.write(new SmtpCommand("RCPT TO:<" + recipient + ">"));
        }
        channel.flush();
        transactionOpen = true; // until a DATA reply ends it; RSET before the next otherwise
        List<RecipientReply> replies = new ArrayList<>(t.recipients().size());
        return pending.get(0).thenCompose(mail -> {
            check421(mail.reply());
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < t.recipients().size(); i++) {
                String recipient = t.recipients().get(i);
                CompletableFuture<ReplyLines> reply = pending.get(i + 1);
                chain = chain.thenCompose(ignored -> reply.thenAccept(r -> {
                    check421(r.reply());
                    replies.add(new RecipientReply(recipient, r.reply()));
                }));
            }
            return chain.thenCompose(ignored -> {
                if (!mail.reply().isPositive()) {
                    return CompletableFuture.completedFuture(new TransactionResult(mail.reply(), List.of(), null));
                }
                return afterRecipients(t, mail.reply(), replies);
            });
        });
    }

    /*
     * Refusals we can make without asking: a message larger than the server's SIZE (RFC 1870 §6),
     * or one that needs SMTPUTF8 (RFC 6531 §3.2) to a server that does not offer it.
     */
    private SmtpReply refuseLocally(Transaction t) {
        String size = extensions.get("SIZE");
        if (size != null && !size.isBlank()) {
            try {
                long limit = Long.parseLong(size.strip());
                if (limit > 0 && t.size() > limit) {
                    return SmtpReply.of(552, "5.3.4", "message of " + t.size() + " octets exceeds the "
                            + limit + " octets " + remote.getHostString() + " accepts (SIZE)");
                }
            } catch (NumberFormatException ignored) {
                // a malformed SIZE parameter is no limit we can trust
            }
        }
        if (needsUtf8(t) && !extensions.containsKey("SMTPUTF8")) {
            return SmtpReply.of(553, "5.6.7", "an address in this message needs SMTPUTF8, which "
                    + remote.getHostString() + " does not offer");
        }
        return null;
    }

    /* Sequential RCPTs. With PIPELINING these would be written in one flush and their waiters queued. */
    private CompletableFuture<Void> recipients(Transaction t, int index, List<RecipientReply> replies) {
        if (index == t.recipients().size()) {
            return CompletableFuture.completedFuture(null);
        }
        String recipient = t.recipients().get(index);
        String line = "RCPT TO:<" + recipient + ">";
        return command(line, settings.commandTimeout()).thenCompose(reply -> {
            replies.add(new RecipientReply(recipient, reply.reply()));
            return recipients(t, index + 1, replies);
        });
    }

    private CompletableFuture<SmtpReply> data(Transaction t) {
        return command("DATA", settings.commandTimeout()).thenCompose(go -> {
            if (go.reply().code() != 354) {
                return CompletableFuture.completedFuture(go.reply());
            }
            CompletableFuture<ReplyLines> end = session.expect(settings.dataTimeout(), "the end of data");
            write(new MessageBody(t.prefix(), t.content()));
            return end.thenApply(reply -> {
                check421(reply.reply());
                transactionOpen = false; // RFC 5321 §4.1.1.4: the reply after "." ends the transaction
                return reply.reply();
            });
        });
    }

    private String mailCommand(Transaction t) {
        StringBuilder line = new StringBuilder(64).append("MAIL FROM:<").append(t.sender()).append('>');
        if (extensions.containsKey("SIZE")) {
            line.append(" SIZE=").append(t.size()); // RFC 1870 §3
        }
        if (extensions.containsKey("8BITMIME") && (DotStuffing.has8BitBytes(t.prefix()) || DotStuffing.has8BitBytes(t.content()))) {
            line.append(" BODY=8BITMIME"); // RFC 6152 §3
        }
        if (extensions.containsKey("SMTPUTF8") && needsUtf8(t)) {
            line.append(" SMTPUTF8"); // RFC 6531 §3.4
        }
        return line.toString();
    }

    /* Loops, not streams: this runs for every transaction on the event loop (issue 14). */
    static boolean needsUtf8(Transaction t) {
        if (MailAddress.needsSmtpUtf8(t.sender())) {
            return true;
        }
        List<String> recipients = t.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (MailAddress.needsSmtpUtf8(recipients.get(i))) {
                return true;
            }
        }
        return false;
    }

    /* ---------------------------------------------------------------- ending */

    /**
     * Sends QUIT, waits for the reply (or the close) and closes the connection. Completes normally
     * whatever the server says: the session is over either way.
     */
    public CompletableFuture<Void> quit() {
        if (!channel.isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        onLoop(() -> command("QUIT", settings.commandTimeout()))
                .whenComplete((r, e) -> channel.close().addListener(f -> closed.complete(null)));
        return closed;
    }

    /** Closes the connection without QUIT. */
    public void abort() {
        channel.close();
    }

    /* ---------------------------------------------------------------- plumbing */

    /** Writes one command and waits for its reply; a 421 closes the session (RFC 5321 §3.8). */
    private CompletableFuture<ReplyLines> command(String line, Duration timeout) {
        SmtpCommand command = new SmtpCommand(line);
        CompletableFuture<ReplyLines> reply = session.expect(timeout, command.verb());
        write(command);
        return reply.thenApply(r -> {
            check421(r.reply());
            return r;
        });
    }

    private void check421(SmtpReply reply) {
        if (reply.code() == 421) {
            channel.close();
            throw fail(Kind.PROTOCOL, "server is closing the session", reply);
        }
    }

    private void write(Object message) {
        channel.writeAndFlush(message).addListener(f -> {
            if (!f.isSuccess()) {
                session.fail(new SmtpClientException(Kind.CLOSED, "write failed: " + f.cause(), null, f.cause()));
            }
        });
    }

    /* Runs the step on the event loop so the session state is only touched there. */
    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> step) {
        if (channel.eventLoop().inEventLoop()) {
            return step.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> step.get().whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else {
                result.complete(v);
            }
        }));
        return result;
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static CompletionException fail(Kind kind, String message, SmtpReply reply) {
        return new CompletionException(new SmtpClientException(kind, message, reply, null));
    }
}
