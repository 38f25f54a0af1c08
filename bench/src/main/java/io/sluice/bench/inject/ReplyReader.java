package io.sluice.bench.inject;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Assembles reply lines (after a line decoder) into replies and hands each to the oldest
 * waiting command, in order: that is all pipelining needs on the client side. A closed
 * connection fails every waiter.
 */
final class ReplyReader extends SimpleChannelInboundHandler<ByteBuf> {
    /** A complete reply: code and the text of its last line. */
    record Reply(int code, String text) {
        boolean ok() {
            return code >= 200 && code < 400;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final ArrayDeque<CompletableFuture<Reply>> waiting = new ArrayDeque<>();
    private final StringBuilder multiline = new StringBuilder();
    private boolean closed;

    /** Registers interest in the next reply; call before (or as) the command is written. */
    CompletableFuture<Reply> expect() {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IOException("connection closed"));
        } else {
            waiting.add(f);
        }
        return f;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        String s = line.toString(StandardCharsets.US_ASCII);
        if (s.length() >= 4 && s.charAt(3) == '-') {
            multiline.append(s, 4, s.length()).append('\n');
            return;
        }
        int code;
        try {
            code = Integer.parseInt(s.substring(0, Math.min(3, s.length())));
        } catch (NumberFormatException e) {
            ctx.close();
            return;
        }
        String text = multiline.length() > 0 ? multiline + s : s;
        multiline.setLength(0);
        CompletableFuture<Reply> f = waiting.poll();
        if (f != null) {
            f.complete(new Reply(code, text));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        CompletableFuture<Reply> f;
        while ((f = waiting.poll()) != null) {
            f.completeExceptionally(new IOException("connection closed by peer"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
