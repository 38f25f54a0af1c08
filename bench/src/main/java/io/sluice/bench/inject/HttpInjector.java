package io.sluice.bench.inject;

import io.sluice.bench.measure.BenchClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Injects through the HTTP API: {@code POST /api/v1/inject} with
 * {@code {"envelope_sender":…,"recipients":[{"email":…}],"content":"<RFC 5322 text>"}};
 * {@code concurrency} requests in flight. 2xx counts as accepted, 4xx (other than 429) as a
 * permanent refusal, 429 and 5xx as temporary, no response as an error.
 */
public final class HttpInjector implements AutoCloseable {
    private final URI endpoint;
    private final int concurrency;
    private final String authorization;
    private final HttpClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-inject-timer");
        t.setDaemon(true);
        return t;
    });

    public HttpInjector(URI endpoint, int concurrency, String authorization) {
        this.endpoint = endpoint;
        this.concurrency = concurrency;
        this.authorization = authorization;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public CompletableFuture<Void> run(InjectPlan plan, MessageFactory messages, InjectStats stats) {
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers.add(done);
            next(plan, messages, stats, done);
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new));
    }

    private void next(InjectPlan plan, MessageFactory messages, InjectStats stats, CompletableFuture<Void> done) {
        InjectPlan.Slot slot = plan.next(System.nanoTime());
        if (slot == null) {
            done.complete(null);
            return;
        }
        long delay = slot.dueNanos() - System.nanoTime();
        Runnable send = () -> send(slot.sequence(), plan, messages, stats, done);
        if (delay > 0) {
            timer.schedule(send, delay, TimeUnit.NANOSECONDS);
        } else {
            send.run();
        }
    }

    private void send(long sequence, InjectPlan plan, MessageFactory messages, InjectStats stats,
            CompletableFuture<Void> done) {
        long sentMicros = BenchClock.nowMicros();
        MessageFactory.Message m = messages.make(sequence, sentMicros);
        stats.sent(sequence, sentMicros);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(m), StandardCharsets.UTF_8));
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        client.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, e) -> {
            if (e != null) {
                stats.failed(e.getCause() != null ? e.getCause().toString() : e.toString());
            } else {
                int s = resp.statusCode();
                int code = s < 300 ? 250 : (s == 429 || s >= 500) ? 451 : 550;
                stats.replied(sequence, code, sentMicros, BenchClock.nowMicros(), m.content().length);
            }
            next(plan, messages, stats, done);
        });
    }

    /** The request body; the content string is the exact CRLF message text. */
    static String json(MessageFactory.Message m) {
        StringBuilder b = new StringBuilder(m.content().length + 256);
        b.append("{\"envelope_sender\":").append(quote(m.sender())).append(",\"recipients\":[");
        for (int i = 0; i < m.recipients().size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"email\":").append(quote(m.recipients().get(i))).append('}');
        }
        b.append("],\"content\":").append(quote(new String(m.content(), StandardCharsets.UTF_8))).append('}');
        return b.toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
