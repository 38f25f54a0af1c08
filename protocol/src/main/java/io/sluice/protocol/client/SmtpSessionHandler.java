package io.sluice.protocol.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.protocol.client.SmtpClientException.Kind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pairs replies with the commands waiting for them, first in, first out. With sequential commands
 * the queue holds one entry; with PIPELINING (RFC 2920) it would hold one per command of a
 * batch, so pipelining needs no change here.
 *
 * <p>A reply that arrives while nothing waits (the banner racing the connect callback, or a 421
 * sent before the server hangs up) is kept and handed to the next waiter. All methods run on the
 * channel's event loop.
 */
final class SmtpSessionHandler extends ChannelInboundHandlerAdapter {
    private static final int MAX_UNSOLICITED = 8;

    private record Waiter(CompletableFuture<ReplyLines> future, ScheduledFuture<?> timeout) {
    }

    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final Deque<ReplyLines> unsolicited = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private SmtpClientException failure;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** A future for the next reply; it fails with TIMEOUT (and the channel closes) after {@code timeout}. */
    CompletableFuture<ReplyLines> expect(Duration timeout, String what) {
        assert ctx.executor().inEventLoop();
        CompletableFuture<ReplyLines> future = new CompletableFuture<>();
        // A reply that came before the failure (a 421 just before the hang-up) is the better news.
        ReplyLines early = unsolicited.poll();
        if (early != null) {
            future.complete(early);
            return future;
        }
        if (failure != null) {
            future.completeExceptionally(failure);
            return future;
        }
        ScheduledFuture<?> timer = ctx.executor().schedule(() -> {
            fail(new SmtpClientException(Kind.TIMEOUT, "no reply to " + what + " within " + timeout));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        waiting.add(new Waiter(future, timer));
        return future;
    }

    /** True when a reply arrived that no command has taken yet. */
    boolean hasUnsolicited() {
        return !unsolicited.isEmpty();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ReplyLines reply)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Waiter waiter = waiting.poll();
        if (waiter == null) {
            unsolicited.add(reply);
            if (unsolicited.size() > MAX_UNSOLICITED) {
                fail(new SmtpClientException(Kind.PROTOCOL, "server sent replies nobody asked for", reply.reply(), null));
            }
            return;
        }
        waiter.timeout().cancel(false);
        waiter.future().complete(reply);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            fail(new SmtpClientException(Kind.PROTOCOL, "unreadable reply: " + cause.getMessage(), null, cause));
        } else {
            fail(new SmtpClientException(Kind.CLOSED, "connection failed: " + cause, null, cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new SmtpClientException(Kind.CLOSED, "connection closed by " + ctx.channel().remoteAddress()));
        ctx.fireChannelInactive();
    }

    /** Fails every waiter and every later {@link #expect} with {@code e}, and closes the channel. */
    void fail(SmtpClientException e) {
        if (failure == null) {
            failure = e;
        }
        Waiter w;
        while ((w = waiting.poll()) != null) {
            w.timeout().cancel(false);
            w.future().completeExceptionally(e);
        }
        ctx.close();
    }
}
