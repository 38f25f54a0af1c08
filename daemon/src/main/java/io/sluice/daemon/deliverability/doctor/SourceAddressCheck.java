package io.sluice.daemon.deliverability.doctor;

import io.sluice.daemon.deliverability.doctor.SendingSetup.SourceAddress;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether each source's address is plumbed on this host: binding a UDP socket to it (port 0)
 * succeeds only for a local address. A source whose address is not here fails every connection.
 */
final class SourceAddressCheck {

    List<Finding> examine(SendingSetup setup) {
        List<Finding> out = new ArrayList<>();
        for (SourceAddress source : setup.sources()) {
            if (source.address() == null) {
                continue;
            }
            String ip = source.address().getHostAddress();
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(source.address(), 0))) {
                out.add(Finding.pass("source-address", source.describe(), ip + " is an address of this host").about(source));
            } catch (IOException e) {
                out.add(Finding.of("source-address", source.describe(), Verdict.FAIL,
                        ip + " is not an address of this host (" + e.getMessage() + ")",
                        "add " + ip + " to a network interface, or remove the source from the egress file").about(source));
            }
        }
        return out;
    }
}
