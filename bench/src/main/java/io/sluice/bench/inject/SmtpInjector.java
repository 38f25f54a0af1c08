package io.sluice.bench.inject;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.bench.inject.ReplyReader.Reply;
import io.sluice.bench.measure.BenchClock;
import io.sluice.bench.NettyTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Injects over SMTP with Netty: {@code connections} sessions pull from one {@link InjectPlan};
 * each says EHLO, optionally STARTTLS and AUTH PLAIN, then sends MAIL/RCPT/DATA (pipelined when
 * the server offers PIPELINING) and the dot-stuffed body. A session that breaks is counted as
 * an error for its message and reconnects; 20 failed connects in a row end that session.
 */
public final class SmtpInjector implements AutoCloseable {
    private static final byte[] DOT_CRLF = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    private final SmtpTarget target;
    private final EventLoopGroup group;
    private final SslContext tls;

    public SmtpInjector(SmtpTarget target, int ioThreads) {
        this.target = target;
        this.group = NettyTransport.group(ioThreads);
        try {
            this.tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    /** Runs the plan to its end; the future completes when every session has quit. */
    public CompletableFuture<Void> run(InjectPlan plan, MessageFactory messages, InjectStats stats) {
        List<CompletableFuture<Void>> sessions = new ArrayList<>();
        for (int i = 0; i < target.connections(); i++) {
            Session s = new Session(plan, messages, stats);
            sessions.add(s.done);
            s.connect();
        }
        return CompletableFuture.allOf(sessions.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class Session {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final InjectPlan plan;
        final MessageFactory messages;
        final InjectStats stats;
        Channel channel;
        ReplyReader replies;
        boolean pipelining;
        int failedConnects;
        int sentOnConnection;

        Session(InjectPlan plan, MessageFactory messages, InjectStats stats) {
            this.plan = plan;
            this.messages = messages;
            this.stats = stats;
        }

        void connect() {
            ReplyReader reader = new ReplyReader();
            Bootstrap b = new Bootstrap().group(group).channel(NettyTransport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("lines", new LineBasedFrameDecoder(65536))
                                    .addLast("replies", reader);
                        }
                    });
            ChannelFuture f = b.connect(target.host(), target.port());
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    reconnectLater("cannot connect to " + target.host() + ":" + target.port() + ": "
                            + x.cause().getMessage(), true);
                    return;
                }
                channel = f.channel();
                replies = reader;
                sentOnConnection = 0;
                CompletableFuture<Reply> greeting = reader.expect();
                greeting.thenCompose(g -> check(g, 220, "greeting"))
                        .thenCompose(g -> ehlo())
                        .thenCompose(this::maybeStartTls)
                        .thenCompose(this::maybeAuth)
                        .whenComplete((ok, e) -> {
                            if (e != null) {
                                channel.close();
                                reconnectLater(cause(e), true);
                            } else {
                                failedConnects = 0;
                                next();
                            }
                        });
            });
        }

        CompletableFuture<Reply> command(String line) {
            CompletableFuture<Reply> f = replies.expect();
            channel.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.US_ASCII));
            return f;
        }

        CompletableFuture<Reply> ehlo() {
            return command("EHLO " + target.ehloName()).thenCompose(r -> check(r, 250, "EHLO")).thenApply(r -> {
                pipelining = r.text().toUpperCase().contains("PIPELINING");
                return r;
            });
        }

        CompletableFuture<Reply> maybeStartTls(Reply ehlo) {
            if (!target.startTls()) {
                return CompletableFuture.completedFuture(ehlo);
            }
            return command("STARTTLS").thenCompose(r -> check(r, 220, "STARTTLS")).thenCompose(r -> {
                SslHandler ssl = tls.newHandler(channel.alloc(), target.host(), target.port());
                channel.pipeline().addFirst("tls", ssl);
                CompletableFuture<Reply> handshaken = new CompletableFuture<>();
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        ehlo().whenComplete((e, t) -> {
                            if (t != null) {
                                handshaken.completeExceptionally(t);
                            } else {
                                handshaken.complete(e);
                            }
                        });
                    } else {
                        handshaken.completeExceptionally(new IllegalStateException("TLS handshake failed: "
                                + h.cause().getMessage()));
                    }
                });
                return handshaken;
            });
        }

        CompletableFuture<Reply> maybeAuth(Reply ehlo) {
            if (target.authUser() == null) {
                return CompletableFuture.completedFuture(ehlo);
            }
            String token = Base64.getEncoder().encodeToString(("\0" + target.authUser() + "\0"
                    + (target.authPassword() == null ? "" : target.authPassword())).getBytes(StandardCharsets.UTF_8));
            return command("AUTH PLAIN " + token).thenCompose(r -> check(r, 235, "AUTH"));
        }

        void next() {
            if (target.messagesPerConnection() > 0 && sentOnConnection >= target.messagesPerConnection()) {
                command("QUIT").whenComplete((r, e) -> {
                    channel.close();
                    connect();
                });
                return;
            }
            InjectPlan.Slot slot = plan.next(System.nanoTime());
            if (slot == null) {
                command("QUIT").whenComplete((r, e) -> {
                    channel.close();
                    done.complete(null);
                });
                return;
            }
            long delay = slot.dueNanos() - System.nanoTime();
            if (delay > 0) {
                channel.eventLoop().schedule(() -> send(slot.sequence()), delay, TimeUnit.NANOSECONDS);
            } else {
                send(slot.sequence());
            }
        }

        void send(long sequence) {
            sentOnConnection++;
            long sentMicros = BenchClock.nowMicros();
            MessageFactory.Message m = messages.make(sequence, sentMicros);
            stats.sent(sequence, sentMicros);
            CompletableFuture<Reply> mail;
            List<CompletableFuture<Reply>> rcpts = new ArrayList<>();
            CompletableFuture<Reply> data;
            if (pipelining) {
                mail = replies.expect();
                channel.write(ascii("MAIL FROM:<" + m.sender() + ">\r\n"));
                for (String r : m.recipients()) {
                    rcpts.add(replies.expect());
                    channel.write(ascii("RCPT TO:<" + r + ">\r\n"));
                }
                data = replies.expect();
                channel.writeAndFlush(ascii("DATA\r\n"));
            } else {
                mail = command("MAIL FROM:<" + m.sender() + ">");
                CompletableFuture<Reply> chain = mail;
                for (String r : m.recipients()) {
                    chain = chain.thenCompose(x -> command("RCPT TO:<" + r + ">"));
                    rcpts.add(chain);
                }
                data = chain.thenCompose(x -> command("DATA"));
            }
            data.thenCompose(d -> {
                if (d.code() == 354) {
                    CompletableFuture<Reply> fin = replies.expect();
                    channel.writeAndFlush(Unpooled.wrappedBuffer(MessageFactory.dotStuff(m.content()), DOT_CRLF));
                    return fin;
                }
                // No 354: the transaction failed earlier; report the first refusal and reset.
                Reply first = firstRefusal(mail, rcpts, d);
                command("RSET");
                return CompletableFuture.completedFuture(first);
            }).whenComplete((fin, e) -> {
                if (e != null) {
                    // e.g. a 421 at RCPT and the server hung up: the refusal is the outcome
                    Reply refused = firstRefusal(mail, rcpts, null);
                    if (refused != null) {
                        stats.replied(sequence, refused.code(), sentMicros, BenchClock.nowMicros(), m.content().length);
                    } else {
                        stats.failed(cause(e));
                    }
                    channel.close();
                    reconnectLater(cause(e), false);
                    return;
                }
                stats.replied(sequence, fin.code(), sentMicros, BenchClock.nowMicros(), m.content().length);
                if (fin.code() == 421 || !channel.isActive()) {
                    channel.close();
                    reconnectLater("421", false);
                } else {
                    next();
                }
            });
        }

        void reconnectLater(String why, boolean connectFailure) {
            if (connectFailure && ++failedConnects >= 20) {
                stats.failed(why);
                done.complete(null);
                return;
            }
            if (plan.expected() >= 0 && stats.finished() >= plan.expected()) {
                done.complete(null);
                return;
            }
            group.next().schedule(this::connect, connectFailure ? 200 : 10, TimeUnit.MILLISECONDS);
        }
    }

    private static Reply firstRefusal(CompletableFuture<Reply> mail, List<CompletableFuture<Reply>> rcpts, Reply data) {
        Reply m = done(mail);
        if (m != null && !m.ok()) {
            return m;
        }
        for (CompletableFuture<Reply> r : rcpts) {
            Reply x = done(r);
            if (x != null && !x.ok()) {
                return x;
            }
        }
        return data;
    }

    private static Reply done(CompletableFuture<Reply> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static CompletableFuture<Reply> check(Reply r, int expected, String step) {
        if (r.code() != expected) {
            return CompletableFuture.failedFuture(new IllegalStateException(step + " refused: " + r.text()));
        }
        return CompletableFuture.completedFuture(r);
    }

    private static String cause(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
