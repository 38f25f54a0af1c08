package io.sluice.protocol.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * {@link SmtpCommand} and {@link MessageBody} to bytes. Commands are written as UTF-8, which is
 * plain ASCII unless SMTPUTF8 paths are used (RFC 6531 §3.2); the body is dot-stuffed by
 * {@link DotStuffing}, into one buffer of the channel's allocator up to 64 KB, as slices above.
 */
final class SmtpClientEncoder extends MessageToMessageEncoder<Object> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof SmtpCommand || msg instanceof MessageBody;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof SmtpCommand command) {
            String line = command.line();
            ByteBuf buf = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(line) + 2);
            ByteBufUtil.writeUtf8(buf, line);
            buf.writeByte('\r').writeByte('\n');
            out.add(buf);
        } else if (msg instanceof MessageBody body) {
            out.add(DotStuffing.encode(body.prefix(), body.content(), ctx.alloc()));
        }
    }
}
