package io.sluice.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server on 127.0.0.1: dnsmasq answering authoritatively for {@code .test} (RFC 2606)
 * plus any zones added, from the records given to the builder. Names under those zones that have
 * no record get NXDOMAIN; names that exist but lack the asked type get NODATA.
 *
 * <pre>{@code
 * try (Dnsmasq dns = Dnsmasq.builder()
 *         .host("mx1.example.test", "127.0.0.10")
 *         .mx("example.test", "mx1.example.test", 10)
 *         .nullMx("nullmx.test")
 *         .start()) {
 *     new MxResolver(List.of(dns.address()), ...);
 * }
 * }</pre>
 */
public final class Dnsmasq implements AutoCloseable {
    private final ManagedProcess process;
    private final int port;
    private final Path dir;

    private Dnsmasq(ManagedProcess process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    /** 127.0.0.1:port, for a resolver's server list. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private final Set<String> zones = new LinkedHashSet<>(List.of("test"));
        private final List<String> records = new ArrayList<>();
        private int ttl = 60;

        /** Answer authoritatively (NXDOMAIN for unknown names) under this zone; ".test" is always on. */
        public Builder zone(String zone) {
            zones.add(zone);
            return this;
        }

        /** A and AAAA records for {@code name} (dnsmasq picks the type from each address). */
        public Builder host(String name, String... addresses) {
            records.add("--host-record=" + name + "," + String.join(",", addresses));
            return this;
        }

        public Builder mx(String domain, String host, int preference) {
            records.add("--mx-host=" + domain + "," + host + "," + preference);
            return this;
        }

        /** RFC 7505: a single MX with preference 0 and target "." (dnsmasq serves it as given). */
        public Builder nullMx(String domain) {
            return mx(domain, ".", 0);
        }

        public Builder txt(String name, String text) {
            // on the command line (no shell, no conf-file parser) dnsmasq keeps quotes as data and
            // splits the value at commas into separate strings of one record
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0) {
                throw new IllegalArgumentException("a TXT text for dnsmasq's command line cannot hold ',' or '\"'");
            }
            records.add("--txt-record=" + name + "," + text);
            return this;
        }

        /** Any other dnsmasq option, e.g. {@code "--cname=a.test,b.test"}. */
        public Builder option(String option) {
            records.add(option);
            return this;
        }

        /** Without it dnsmasq serves local records with TTL 0. */
        public Builder ttl(int seconds) {
            this.ttl = seconds;
            return this;
        }

        /** Starts dnsmasq and returns once it answers a query. */
        public Dnsmasq start() {
            Path binary = ExternalTool.require("dnsmasq");
            Path dir;
            try {
                dir = Files.createTempDirectory("sluice-dnsmasq");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String lastOutput = "";
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = FreePorts.tcpAndUdp();
                List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                        "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                        "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port,
                        "--pid-file=", "--local-ttl=" + ttl, "--log-facility=-"));
                if ("root".equals(System.getProperty("user.name"))) {
                    cmd.add("--user=root");
                }
                for (String zone : zones) {
                    cmd.add("--local=/" + zone + "/");
                }
                cmd.addAll(records);
                ManagedProcess p = ManagedProcess.start(cmd, dir.resolve("dnsmasq-" + port + ".log"));
                if (awaitAnswer(p, port, Duration.ofSeconds(10))) {
                    return new Dnsmasq(p, port, dir);
                }
                lastOutput = p.output();
                p.close();
            }
            throw new IllegalStateException("dnsmasq did not start: " + lastOutput);
        }

        private static boolean awaitAnswer(ManagedProcess p, int port, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            try {
                SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
                probe.setTimeout(Duration.ofMillis(200));
                Message query = Message.newQuery(Record.newRecord(Name.fromString("probe.test."), Type.A, DClass.IN));
                while (System.nanoTime() < deadline && p.isAlive()) {
                    try {
                        probe.send(query);
                        return true;
                    } catch (IOException notYet) {
                        Thread.sleep(50);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
