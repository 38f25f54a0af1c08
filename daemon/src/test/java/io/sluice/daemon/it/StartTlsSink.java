package io.sluice.daemon.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.helper.SimpleMessageListener;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A loopback MX host that offers STARTTLS with the given certificate and accepts every recipient,
 * noting each delivered one: what the transport-security ITs deliver to, one per 127.0.0.x.
 */
final class StartTlsSink {
    private StartTlsSink() {
    }

    /** Started; the caller stops it. */
    static SMTPServer start(String address, int port, SSLContext tls, Collection<String> received) throws Exception {
        SMTPServer server = SMTPServer.port(port)
                .bindAddress(InetAddress.getByName(address))
                .hostName("sink")
                .enableTLS()
                .startTlsSocketFactory(tls)
                .simpleMessageListener(new SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws java.io.IOException {
                        data.transferTo(OutputStream.nullOutputStream());
                        received.add(recipient);
                    }
                })
                .build();
        server.start();
        return server;
    }
}
