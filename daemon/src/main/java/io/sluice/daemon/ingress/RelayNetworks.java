package io.sluice.daemon.ingress;

import io.sluice.daemon.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client networks allowed to relay: a list of CIDR blocks, matched byte by byte. Parsed once
 * from configuration; immutable and safe to share.
 */
public final class RelayNetworks {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private RelayNetworks(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** Parses entries like {@code 127.0.0.0/8} or {@code ::1}; {@code key} names the setting in errors. */
    public static RelayNetworks parse(String key, List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            // Only literals: a host name here would mean a DNS lookup at start-up and a
            // relay rule that silently changes when the record does.
            if (!LITERAL.matcher(host).matches()) {
                throw new ConfigException(key, entry, "not an IP address or CIDR block");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new ConfigException(key, entry, "not an IP address or CIDR block");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, entry, "prefix length is not a number");
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new ConfigException(key, entry, "prefix length out of range 0-" + address.length * 8);
                }
            }
            blocks.add(new Block(address, bits));
        }
        return new RelayNetworks(blocks);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
