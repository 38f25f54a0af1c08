package io.sluice.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Real DNSSEC on 127.0.0.1: zones signed with ldns-signzone (Debian {@code ldnsutils}, ECDSA
 * P-256 keys made by ldns-keygen) and served by Knot DNS ({@code knotd}, Debian {@code knot}) on
 * a free port. Each signed zone's KSK is given back as a trust anchor, so a validating resolver
 * anchored there sees the zone as the root of its chain.
 *
 * <pre>{@code
 * try (SignedZones dns = SignedZones.builder()
 *         .signed("dane.test", "@ MX 10 mx", "mx A 127.0.0.1", "_25._tcp.mx TLSA 3 1 1 ...")
 *         .unsigned("insecure.dane.test", "mx A 127.0.0.1")   // delegated without DS
 *         .corruptSignature("_25._tcp.bad.dane.test", "TLSA")
 *         .start()) {
 *     new ValidatingLookups(List.of(dns.address()), dns.trustAnchors(), ...);
 * }
 * }</pre>
 * Records are zone-file lines relative to the zone (SOA and NS are added). An unsigned zone under
 * a signed one is delegated from it with an NS record and no DS: an insecure delegation.
 */
public final class SignedZones implements AutoCloseable {
    private final ManagedProcess process;
    private final int port;
    private final String trustAnchors;
    private final String unrelatedAnchor;

    private SignedZones(ManagedProcess process, int port, String trustAnchors, String unrelatedAnchor) {
        this.process = process;
        this.port = port;
        this.trustAnchors = trustAnchors;
        this.unrelatedAnchor = unrelatedAnchor;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    /** The KSK DNSKEY record of every signed zone, in zone-file form. */
    public String trustAnchors() {
        return trustAnchors;
    }

    /**
     * A DNSKEY for the first signed zone that did not sign it: as the only anchor, validation of
     * that zone breaks at its apex, as with a stripping resolver or a stale anchor file.
     */
    public String wrongTrustAnchor() {
        return unrelatedAnchor;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private final Map<String, List<String>> signed = new LinkedHashMap<>();
        private final Map<String, List<String>> unsigned = new LinkedHashMap<>();
        private final List<String[]> corrupt = new ArrayList<>();

        public Builder signed(String zone, String... records) {
            signed.put(zone(zone), List.of(records));
            return this;
        }

        public Builder unsigned(String zone, String... records) {
            unsigned.put(zone(zone), List.of(records));
            return this;
        }

        /** Flips a bit in the signature over {@code owner}'s RRset of {@code type}: a bogus answer. */
        public Builder corruptSignature(String owner, String type) {
            corrupt.add(new String[] {zone(owner) + ".", type.toUpperCase(Locale.ROOT)});
            return this;
        }

        public SignedZones start() {
            if (signed.isEmpty()) {
                throw new IllegalStateException("at least one signed zone");
            }
            Path knotd = ExternalTool.require("knotd");
            Path keygen = ExternalTool.require("ldns-keygen");
            Path signzone = ExternalTool.require("ldns-signzone");
            try {
                Path dir = Files.createTempDirectory("sluice-knot");
                StringBuilder anchors = new StringBuilder();
                String unrelated = null;
                List<String> zoneConf = new ArrayList<>();
                for (Map.Entry<String, List<String>> z : signed.entrySet()) {
                    String zone = z.getKey();
                    List<String> lines = new ArrayList<>(z.getValue());
                    for (String child : unsigned.keySet()) {
                        if (child.endsWith("." + zone)) {
                            lines.add(child + ". IN NS ns." + zone + ".");
                        }
                    }
                    Path file = writeZone(dir, zone, lines);
                    String ksk = run(dir, keygen.toString(), "-a", "ECDSAP256SHA256", "-k", zone).strip();
                    String zsk = run(dir, keygen.toString(), "-a", "ECDSAP256SHA256", zone).strip();
                    if (unrelated == null) {
                        String other = run(dir, keygen.toString(), "-a", "ECDSAP256SHA256", "-k", zone).strip();
                        unrelated = dnskeyLine(dir.resolve(other + ".key"));
                    }
                    run(dir, signzone.toString(), "-o", zone + ".", file.getFileName().toString(), ksk, zsk);
                    Path signedFile = dir.resolve(file.getFileName() + ".signed");
                    corrupt(signedFile);
                    anchors.append(dnskeyLine(dir.resolve(ksk + ".key"))).append('\n');
                    zoneConf.add("  - domain: " + zone + "\n    file: \"" + signedFile + "\"\n");
                }
                for (Map.Entry<String, List<String>> z : unsigned.entrySet()) {
                    Path file = writeZone(dir, z.getKey(), z.getValue());
                    zoneConf.add("  - domain: " + z.getKey() + "\n    file: \"" + file + "\"\n");
                }
                String lastOutput = "";
                for (int attempt = 0; attempt < 3; attempt++) {
                    int port = FreePorts.tcpAndUdp();
                    Path conf = dir.resolve("knot-" + port + ".conf");
                    Files.writeString(conf, config(dir, port, zoneConf), StandardCharsets.UTF_8);
                    ManagedProcess p = ManagedProcess.start(List.of(knotd.toString(), "-c", conf.toString()),
                            dir.resolve("knot-" + port + ".log"));
                    if (awaitZones(p, port, Duration.ofSeconds(15))) {
                        return new SignedZones(p, port, anchors.toString(), unrelated);
                    }
                    lastOutput = p.output();
                    p.close();
                }
                throw new IllegalStateException("knotd did not start: " + lastOutput);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Path writeZone(Path dir, String zone, List<String> records) throws IOException {
            StringBuilder text = new StringBuilder();
            text.append("$ORIGIN ").append(zone).append(".\n$TTL 300\n");
            text.append("@ IN SOA ns.").append(zone).append(". hostmaster.").append(zone).append(". 1 3600 600 86400 300\n");
            text.append("@ IN NS ns.").append(zone).append(".\n");
            text.append("ns IN A 127.0.0.1\n");
            for (String r : records) {
                text.append(r).append('\n');
            }
            Path file = dir.resolve(zone + ".zone");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }

        /* ldns-signzone writes one record per line, owner first, the signature last. */
        private void corrupt(Path signedFile) throws IOException {
            if (corrupt.isEmpty()) {
                return;
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(signedFile, StandardCharsets.UTF_8));
            for (String[] target : corrupt) {
                boolean done = false;
                for (int i = 0; i < lines.size() && !done; i++) {
                    String[] f = lines.get(i).split("\\s+");
                    if (f.length > 5 && f[0].equalsIgnoreCase(target[0]) && f[3].equals("RRSIG") && f[4].equals(target[1])) {
                        String sig = f[f.length - 1];
                        int at = sig.length() / 2;
                        char c = sig.charAt(at);
                        String flipped = sig.substring(0, at) + (c == 'A' ? 'B' : 'A') + sig.substring(at + 1);
                        lines.set(i, lines.get(i).substring(0, lines.get(i).lastIndexOf(sig)) + flipped);
                        done = true;
                    }
                }
                if (!done && signedFile.getFileName().toString().startsWith(zoneOf(target[0]))) {
                    throw new IllegalStateException("no RRSIG " + target[1] + " at " + target[0]);
                }
            }
            Files.write(signedFile, lines, StandardCharsets.UTF_8);
        }

        private String zoneOf(String owner) {
            for (String zone : signed.keySet()) {
                if (owner.endsWith("." + zone + ".") || owner.equals(zone + ".")) {
                    return zone;
                }
            }
            return "";
        }

        private static String dnskeyLine(Path keyFile) throws IOException {
            for (String line : Files.readAllLines(keyFile, StandardCharsets.UTF_8)) {
                int comment = line.indexOf(';');
                String record = (comment >= 0 ? line.substring(0, comment) : line).strip();
                if (record.contains("DNSKEY")) {
                    return record;
                }
            }
            throw new IllegalStateException("no DNSKEY in " + keyFile);
        }

        private static String config(Path dir, int port, List<String> zones) {
            return "server:\n"
                    + "    rundir: \"" + dir + "\"\n"
                    + "    listen: 127.0.0.1@" + port + "\n"
                    + "    pidfile: \"" + dir.resolve("knot-" + port + ".pid") + "\"\n"
                    + "database:\n"
                    + "    storage: \"" + dir.resolve("db-" + port) + "\"\n"
                    + "control:\n"
                    + "    listen: \"" + dir.resolve("knot-" + port + ".sock") + "\"\n"
                    + "log:\n"
                    + "  - target: stderr\n"
                    + "    any: info\n"
                    + "template:\n"
                    + "  - id: default\n"
                    + "    storage: \"" + dir + "\"\n"
                    + "    zonefile-sync: -1\n"
                    + "    zonefile-load: whole\n"
                    + "    journal-content: none\n"
                    + "zone:\n"
                    + String.join("", zones);
        }

        private static String run(Path dir, String... command) throws IOException {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return out;
        }

        private boolean awaitZones(ManagedProcess p, int port, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            try {
                SimpleResolver probe = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
                probe.setTimeout(Duration.ofMillis(200));
                List<String> all = new ArrayList<>(signed.keySet());
                all.addAll(unsigned.keySet());
                for (String zone : all) {
                    Message query = Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN));
                    boolean loaded = false;
                    while (!loaded) {
                        if (System.nanoTime() > deadline || !p.isAlive()) {
                            return false;
                        }
                        try {
                            Message answer = probe.send(query);
                            loaded = answer.getRcode() == Rcode.NOERROR && answer.getSection(1).size() > 0;
                        } catch (IOException notYet) {
                            // not listening yet
                        }
                        if (!loaded) {
                            Thread.sleep(50);
                        }
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static String zone(String name) {
            String z = name.strip().toLowerCase(Locale.ROOT);
            return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
        }
    }
}
