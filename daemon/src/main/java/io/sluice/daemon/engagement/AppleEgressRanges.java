package io.sluice.daemon.engagement;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.net.PrefixTable;
import io.sluice.daemon.operate.lifecycle.Reloadable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The addresses Apple's relays fetch from: its published egress list
 * ({@code https://mask-api.icloud.com/egress-ip-ranges.csv}, one {@code prefix,country,region,city,}
 * line per IPv4 or IPv6 CIDR), kept by the operator in the file {@code
 * sluice.tracking.apple-mpp-ranges-file} (Sluice never downloads it). Apple Mail Privacy
 * Protection loads every remote image of a message through these relays whether the reader opens
 * it or not, so an open from one of them is a machine's ({@code apple-mpp}). Read at start (a
 * missing or bad file stops the start, naming the key) and again on SIGHUP (a bad file then
 * keeps the ranges in force). Unset: no address matches.
 */
@Singleton
public final class AppleEgressRanges implements Reloadable {
    static final String KEY = "sluice.tracking.apple-mpp-ranges-file";
    private static final Logger LOG = LoggerFactory.getLogger(AppleEgressRanges.class);

    private final Path file;
    private volatile PrefixTable table;

    public AppleEgressRanges(@Nullable @Value("${" + KEY + ":}") String file) {
        this.file = file == null || file.isBlank() ? null : Path.of(file.strip());
        this.table = this.file == null ? PrefixTable.EMPTY : read(this.file);
        if (this.file != null) {
            LOG.info("Apple egress ranges: {} prefixes from {}", table.prefixes(), this.file);
        }
    }

    /** Whether {@code address} is one of Apple's relays. */
    public boolean contains(InetAddress address) {
        return address != null && table.contains(address);
    }

    /** How many prefixes are in force. */
    public int prefixes() {
        return table.prefixes();
    }

    @Override
    public String reloadName() {
        return "apple egress ranges";
    }

    @Override
    public void reload() {
        if (file != null) {
            table = read(file);
        }
    }

    /** Parses the CSV; an error names the key, the file and the line. */
    static PrefixTable read(Path file) {
        PrefixTable.Builder b = new PrefixTable.Builder();
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                int comma = s.indexOf(',');
                String prefix = (comma < 0 ? s : s.substring(0, comma)).strip();
                add(b, prefix, file, n);
            }
        } catch (IOException e) {
            throw new ConfigException(KEY, file.toString(), "cannot be read: " + e.getMessage());
        }
        return b.build();
    }

    private static void add(PrefixTable.Builder b, String prefix, Path file, int line) {
        try {
            b.add(prefix);
        } catch (IllegalArgumentException e) {
            throw bad(file, line, prefix, e.getMessage());
        }
    }

    private static ConfigException bad(Path file, int line, String prefix, String problem) {
        return new ConfigException(KEY, file.toString(), "line " + line + " (" + prefix + "): " + problem
                + "; expected Apple's egress-ip-ranges.csv format, prefix,country,region,city,");
    }
}
