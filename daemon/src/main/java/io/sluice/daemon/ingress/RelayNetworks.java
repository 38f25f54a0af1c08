package io.sluice.daemon.ingress;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.net.PrefixTable;

import java.net.InetAddress;
import java.util.List;

/**
 * The client networks allowed to relay: a list of CIDR blocks ({@link PrefixTable}). Parsed once
 * from configuration; immutable and safe to share.
 */
public final class RelayNetworks {
    private final PrefixTable table;

    private RelayNetworks(PrefixTable table) {
        this.table = table;
    }

    /**
     * Parses entries like {@code 127.0.0.0/8} or {@code ::1}; {@code key} names the setting in errors.
     * Only IP literals: a host name here would mean a DNS lookup at start-up and a relay rule that
     * silently changes when the record does.
     */
    public static RelayNetworks parse(String key, List<String> entries) {
        PrefixTable.Builder b = new PrefixTable.Builder();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                b.add(entry);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, entry, e.getMessage());
            }
        }
        return new RelayNetworks(b.build());
    }

    public boolean contains(InetAddress address) {
        return table.contains(address);
    }
}
