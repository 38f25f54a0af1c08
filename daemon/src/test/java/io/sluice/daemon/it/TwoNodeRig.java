package io.sluice.daemon.it;

import io.sluice.protocol.testing.Dnsmasq;
import io.sluice.protocol.testing.FreePorts;
import io.sluice.protocol.testing.SmtpSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two Sluice nodes in one cluster (one Redis, one key prefix), each with its own ports and its
 * own egress source address (127.0.0.2 and 127.0.0.3), both sending to ONE smtp-sink that is the
 * MX of dest.test (dnsmasq) and belongs to the provider "sink", whose provider-wide rate is
 * {@code total-message-rate}. A sampler counts the sink's dump files every 100 ms, so a test can
 * read the delivered count over any interval.
 */
final class TwoNodeRig implements AutoCloseable {
    /** A sink count at a moment (System.nanoTime). */
    record Sample(long nanos, int delivered) {
    }

    final SmtpSink sink;
    final Dnsmasq dns;
    final DaemonProcess a;
    final DaemonProcess b;
    final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Thread sampler;
    private volatile boolean closed;

    TwoNodeRig(Path dir, String sinkHost, String redisUri, String prefix, String totalRate,
               Map<String, String> cluster) throws Exception {
        int port = FreePorts.tcp();
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                providers:
                  - name: sink
                    mx-suffixes: [.sink.test]
                    max-connections-per-path: 4
                    max-connections: 4
                    max-deliveries-per-connection: 1000
                    total-message-rate: %s
                """.formatted(totalRate));
        sink = SmtpSink.builder().listen(sinkHost, port).start();
        dns = Dnsmasq.builder().host("mx.sink.test", sinkHost).mx("dest.test", "mx.sink.test", 10).start();
        a = node(dir, "a", "127.0.0.2", port, rules, redisUri, prefix, cluster);
        b = node(dir, "b", "127.0.0.3", port, rules, redisUri, prefix, cluster);
        sampler = new Thread(this::sample, "sink-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private DaemonProcess node(Path dir, String name, String address, int port, Path rules, String redisUri,
                               String prefix, Map<String, String> cluster) throws Exception {
        Path egress = dir.resolve("egress-" + name + ".yml");
        // the same source NAME on both nodes, on purpose: per-source limits are shared by address, not name
        Files.writeString(egress, """
                default-pool: main
                sources:
                  ip1: {address: %s, ehlo: %s.sluice.test}
                pools:
                  main: {sources: {ip1: 1}}
                """.formatted(address, name));
        DaemonProcess.Builder builder = DaemonProcess.in(dir.resolve("node-" + name))
                .set("sluice.dns.servers", "127.0.0.1:" + dns.port())
                .set("sluice.delivery.port", port)
                .set("sluice.egress.file", egress)
                .set("sluice.egress.rules-file", rules)
                .set("sluice.cluster.redis.uri", redisUri)
                .set("sluice.cluster.key-prefix", prefix)
                .set("sluice.cluster.node-id", "node-" + name);
        cluster.forEach(builder::set);
        return builder.start();
    }

    private void sample() {
        while (!closed) {
            samples.add(new Sample(System.nanoTime(), delivered()));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Transactions the sink has dumped (one recipient each here). */
    int delivered() {
        try (Stream<Path> files = Files.list(sink.dumpDir())) {
            return (int) files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sink's count at (or just after) {@code nanos}, from the sampler. */
    int deliveredAt(long nanos) {
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.nanos() >= nanos) {
                    return s.delivered();
                }
            }
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).delivered();
        }
    }

    /** The most delivered within any {@code windowNanos} between {@code from} and {@code to}. */
    int maxInWindow(long from, long to, long windowNanos) {
        int best = 0;
        List<Sample> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        for (Sample s : copy) {
            if (s.nanos() < from || s.nanos() + windowNanos > to) {
                continue;
            }
            best = Math.max(best, deliveredAt(s.nanos() + windowNanos) - s.delivered());
        }
        return best;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        sampler.interrupt();
        try (sink; dns; a; b) {
            // closes all four, the daemons first
        }
    }
}
