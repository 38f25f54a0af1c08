package io.sluice.bench.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.sluice.bench.measure.BenchClock;
import io.sluice.bench.measure.BenchHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SMTP session of the sink. Input is cumulated and handled command by command, so
 * pipelined commands are answered in order; replies are flushed once per read. While a reply
 * waits for its scripted latency, reading stops, which keeps later replies behind it.
 */
final class SinkSession extends ChannelInboundHandlerAdapter {
    private static final int MAX_LINE = 4096;
    private final SmtpSinkServer server;
    private final int listenerPort;
    private final AtomicInteger listenerConnections;
    private final DataUnstuffer data;
    private ByteBuf input;
    private String sourceIp = "?";
    private boolean inData;
    private boolean paused;
    private boolean closing;
    private String mailFrom;
    private final List<String> domains = new ArrayList<>();
    private final List<String> recipients = new ArrayList<>();
    private final List<SinkRule> rules = new ArrayList<>();
    private int authLinesToSwallow;
    private boolean counted;

    SinkSession(SmtpSinkServer server, int listenerPort, AtomicInteger listenerConnections) {
        this.server = server;
        this.listenerPort = listenerPort;
        this.listenerConnections = listenerConnections;
        this.data = new DataUnstuffer(server.storeDir() != null ? Integer.MAX_VALUE - 8 : 16 * 1024);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            sourceIp = a.getAddress().getHostAddress();
        }
        input = ctx.alloc().buffer(1024);
        SinkCounters c = server.counters();
        c.connections.increment();
        c.openConnections.incrementAndGet();
        counted = true;
        int open = listenerConnections.incrementAndGet();
        SinkRule listenerRule = server.script().forListener(listenerPort);
        if (listenerRule.maxConnections > 0 && open > listenerRule.maxConnections) {
            c.connectionsRefused.increment();
            closing = true;
            ctx.writeAndFlush(line("421 4.7.0 Too many concurrent SMTP connections from " + sourceIp
                    + "; try again later")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(line("220 " + server.hostname() + " ESMTP sluice-bench sink"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            server.counters().openConnections.decrementAndGet();
            listenerConnections.decrementAndGet();
        }
        if (input != null) {
            input.release();
            input = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (closing || input == null) {
                return;
            }
            input.writeBytes(in);
        } finally {
            in.release();
        }
        process(ctx);
        ctx.flush();
    }

    private void process(ChannelHandlerContext ctx) {
        while (!paused && !closing && input.isReadable()) {
            if (inData) {
                if (!data.consume(input)) {
                    break;
                }
                inData = false;
                endOfData(ctx);
                continue;
            }
            int lf = input.indexOf(input.readerIndex(), input.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (input.readableBytes() > MAX_LINE) {
                    closing = true;
                    ctx.writeAndFlush(line("500 5.5.6 Line too long")).addListener(ChannelFutureListener.CLOSE);
                }
                break;
            }
            int len = lf - input.readerIndex();
            String cmd = input.toString(input.readerIndex(), len, StandardCharsets.US_ASCII);
            input.skipBytes(len + 1);
            if (cmd.endsWith("\r")) {
                cmd = cmd.substring(0, cmd.length() - 1);
            }
            command(ctx, cmd);
        }
        input.discardReadBytes();
    }

    private void command(ChannelHandlerContext ctx, String cmd) {
        if (authLinesToSwallow > 0) {
            authLinesToSwallow--;
            reply(ctx, authLinesToSwallow > 0 ? "334 UGFzc3dvcmQ6" : "235 2.7.0 Authentication successful");
            return;
        }
        String upper = cmd.toUpperCase(Locale.ROOT);
        String verb = upper.length() >= 4 ? upper.substring(0, 4) : upper;
        switch (verb) {
            case "EHLO" -> {
                resetTransaction();
                String ext = "250-" + server.hostname() + " greets " + sourceIp + "\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                        + "250-SIZE 104857600\r\n" + (server.tls() != null ? "250-STARTTLS\r\n" : "")
                        + "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES";
                reply(ctx, ext);
            }
            case "HELO" -> {
                resetTransaction();
                reply(ctx, "250 " + server.hostname());
            }
            case "MAIL" -> {
                if (mailFrom != null) {
                    reply(ctx, "503 5.5.1 Error: nested MAIL command");
                } else if (!upper.startsWith("MAIL FROM:")) {
                    reply(ctx, "501 5.5.4 Syntax: MAIL FROM:<address>");
                } else {
                    mailFrom = cmd.substring(10).trim();
                    reply(ctx, "250 2.1.0 Ok");
                }
            }
            case "RCPT" -> rcpt(ctx, cmd, upper);
            case "DATA" -> {
                if (mailFrom == null) {
                    reply(ctx, "503 5.5.1 Error: need MAIL command");
                } else if (domains.isEmpty()) {
                    reply(ctx, "554 5.5.1 Error: no valid recipients");
                } else {
                    inData = true;
                    data.reset();
                    reply(ctx, "354 End data with <CR><LF>.<CR><LF>");
                }
            }
            case "RSET" -> {
                resetTransaction();
                reply(ctx, "250 2.0.0 Ok");
            }
            case "NOOP" -> reply(ctx, "250 2.0.0 Ok");
            case "QUIT" -> {
                closing = true;
                ctx.writeAndFlush(line("221 2.0.0 Bye")).addListener(ChannelFutureListener.CLOSE);
            }
            case "STAR" -> startTls(ctx, upper);
            case "AUTH" -> {
                String[] parts = cmd.split(" ");
                if (parts.length >= 3) {
                    reply(ctx, "235 2.7.0 Authentication successful");
                } else if (parts.length == 2 && parts[1].equalsIgnoreCase("LOGIN")) {
                    authLinesToSwallow = 2;
                    reply(ctx, "334 VXNlcm5hbWU6");
                } else {
                    authLinesToSwallow = 1;
                    reply(ctx, "334 ");
                }
            }
            default -> reply(ctx, "500 5.5.2 Error: command not recognized");
        }
    }

    private void rcpt(ChannelHandlerContext ctx, String cmd, String upper) {
        if (mailFrom == null) {
            reply(ctx, "503 5.5.1 Error: need MAIL command");
            return;
        }
        int lt = cmd.indexOf('<');
        int gt = cmd.lastIndexOf('>');
        int at = cmd.lastIndexOf('@');
        if (!upper.startsWith("RCPT TO:") || lt < 0 || gt < lt || at < lt || at > gt) {
            reply(ctx, "501 5.1.3 Bad recipient address syntax");
            return;
        }
        String domain = cmd.substring(at + 1, gt).toLowerCase(Locale.ROOT);
        SinkRule rule = server.script().forRecipient(domain, listenerPort);
        SinkCounters.DomainCounts counts = server.counters().domain(domain);
        if (!rule.withinRate(System.currentTimeMillis())) {
            counts.rateLimited.increment();
            String r = rule.provider.reply(sourceIp);
            if (r.startsWith("421")) {
                closing = true;
                ctx.writeAndFlush(line(r)).addListener(ChannelFutureListener.CLOSE);
            } else {
                reply(ctx, r);
            }
            return;
        }
        String refusal = rule.deal(sourceIp);
        if (refusal == null) {
            domains.add(domain);
            recipients.add(cmd.substring(lt + 1, gt));
            rules.add(rule);
            reply(ctx, "250 2.1.5 Ok");
        } else {
            (refusal.charAt(0) == '4' ? counts.tempfailed : counts.permfailed).increment();
            reply(ctx, refusal);
        }
    }

    private void startTls(ChannelHandlerContext ctx, String upper) {
        if (!upper.equals("STARTTLS") || server.tls() == null) {
            reply(ctx, "500 5.5.2 Error: command not recognized");
            return;
        }
        ctx.writeAndFlush(line("220 2.0.0 Ready to start TLS"));
        SslHandler ssl = server.tls().newHandler(ctx.alloc());
        ctx.pipeline().addFirst("tls", ssl);
        resetTransaction();
    }

    private void endOfData(ChannelHandlerContext ctx) {
        long latency = 0;
        for (SinkRule r : rules) {
            latency = Math.max(latency, r.latencyMs);
        }
        List<String> accepted = List.copyOf(domains);
        List<String> rcpts = List.copyOf(recipients);
        List<SinkRule> acceptedRules = List.copyOf(rules);
        String returnPath = mailFrom;
        byte[] bytes = data.bytes();
        int stored = data.stored();
        long length = data.length();
        resetTransaction();
        Runnable finish = () -> {
            long now = BenchClock.nowMicros();
            BenchHeaders.Found found = BenchHeaders.find(bytes, stored);
            SinkCounters c = server.counters();
            for (String d : accepted) {
                c.domain(d).accepted.increment();
            }
            c.received(sourceIp, found.id(), found.sentMicros(), now, (int) Math.min(Integer.MAX_VALUE, length));
            server.receipts().received(found, now);
            String queued = found.id() != null ? found.id() : Long.toString(c.messages.sum());
            if (server.storeDir() != null) {
                try {
                    Files.write(server.storeDir().resolve(queued.replaceAll("[^A-Za-z0-9._-]", "_") + ".eml"),
                            java.util.Arrays.copyOf(bytes, stored));
                } catch (IOException e) {
                    reply(ctx, "451 4.3.0 Cannot store the message: " + e.getMessage());
                    return;
                }
            }
            ComplaintReports complaints = server.complaints();
            if (complaints != null) {
                for (int i = 0; i < rcpts.size(); i++) {
                    if (acceptedRules.get(i).dealComplaint()) {
                        complaints.complain(returnPath, rcpts.get(i), bytes, stored);
                    }
                }
            }
            reply(ctx, "250 2.0.0 Ok: queued as " + queued);
        };
        if (latency <= 0) {
            finish.run();
            return;
        }
        paused = true;
        ctx.executor().schedule(() -> {
            paused = false;
            if (input == null) {
                return;
            }
            finish.run();
            process(ctx);
            ctx.flush();
        }, latency, TimeUnit.MILLISECONDS);
    }

    private void resetTransaction() {
        mailFrom = null;
        domains.clear();
        recipients.clear();
        rules.clear();
    }

    private static void reply(ChannelHandlerContext ctx, String text) {
        ctx.write(line(text));
    }

    private static ByteBuf line(String text) {
        return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
