package io.sluice.daemon.egress.tls.sts;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/** A real HTTPS server on loopback (the JDK's) serving {@code /.well-known/mta-sts.txt}. */
final class PolicyHost implements AutoCloseable {
    /** What the server answers: status, media type, body, extra header (or null). */
    record Answer(int status, String contentType, byte[] body, String location) {
        static Answer policy(String text) {
            return new Answer(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private final HttpsServer server;
    final AtomicReference<Answer> answer = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();

    PolicyHost(SSLContext tls, Answer first) throws IOException {
        answer.set(first);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/.well-known/mta-sts.txt", exchange -> {
            requests.incrementAndGet();
            Answer a = answer.get();
            if (a.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", a.contentType());
            }
            if (a.location() != null) {
                exchange.getResponseHeaders().add("Location", a.location());
            }
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        });
        server.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
