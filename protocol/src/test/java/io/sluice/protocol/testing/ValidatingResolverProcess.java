package io.sluice.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Unbound (Debian {@code unbound}) on a free loopback port as a validating resolver in front of
 * {@link SignedZones}: each zone is a stub zone pointing at the Knot server, the signed zones'
 * KSKs are its trust anchors, so its AD bit means what a real validating resolver's does.
 */
public final class ValidatingResolverProcess implements AutoCloseable {
    private final ManagedProcess process;
    private final int port;

    private ValidatingResolverProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

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

    /** Starts Unbound resolving {@code zones} through {@code authority}, anchored at {@code anchors}. */
    public static ValidatingResolverProcess start(SignedZones authority, List<String> zones, String anchors) {
        Path unbound = ExternalTool.require("unbound");
        try {
            Path dir = Files.createTempDirectory("sluice-unbound");
            Path anchorFile = dir.resolve("anchors.txt");
            Files.writeString(anchorFile, anchors, StandardCharsets.US_ASCII);
            String lastOutput = "";
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = FreePorts.tcpAndUdp();
                StringBuilder conf = new StringBuilder();
                conf.append("server:\n")
                        .append("  interface: 127.0.0.1\n")
                        .append("  port: ").append(port).append('\n')
                        .append("  do-daemonize: no\n  username: \"\"\n  chroot: \"\"\n")
                        .append("  directory: \"").append(dir).append("\"\n")
                        .append("  pidfile: \"").append(dir.resolve("unbound-" + port + ".pid")).append("\"\n")
                        .append("  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n  val-log-level: 2\n")
                        .append("  do-not-query-localhost: no\n  do-ip6: no\n")
                        .append("  module-config: \"validator iterator\"\n")
                        .append("  trust-anchor-file: \"").append(anchorFile).append("\"\n")
                        .append("  access-control: 127.0.0.0/8 allow\n");
                for (String zone : zones) {
                    // unbound answers RFC 6761 names (.test, .invalid) itself unless told not to
                    String tld = zone.substring(zone.lastIndexOf('.') + 1);
                    conf.append("  local-zone: \"").append(tld).append(".\" nodefault\n");
                }
                for (String zone : zones) {
                    conf.append("stub-zone:\n  name: \"").append(zone).append(".\"\n  stub-addr: 127.0.0.1@")
                            .append(authority.port()).append('\n');
                }
                conf.append("remote-control:\n  control-enable: no\n");
                Path confFile = dir.resolve("unbound-" + port + ".conf");
                Files.writeString(confFile, conf, StandardCharsets.UTF_8);
                ManagedProcess p = ManagedProcess.start(List.of(unbound.toString(), "-d", "-c", confFile.toString()),
                        dir.resolve("unbound-" + port + ".log"));
                if (answers(p, port, zones.get(0))) {
                    return new ValidatingResolverProcess(p, port);
                }
                lastOutput = p.output();
                p.close();
            }
            throw new IllegalStateException("unbound did not start: " + lastOutput);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean answers(ManagedProcess p, int port, String zone) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try {
            SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
            probe.setTimeout(Duration.ofMillis(500));
            Message query = Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN));
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
