package io.sluice.bench.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The HTTP injector against a stand-in for POST /api/v1/inject (202, or 429 every 4th request). */
class HttpInjectorTest {
    @Test
    void postsOneJsonBodyPerMessageAndCountsStatuses() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/inject", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int status = n.incrementAndGet() % 4 == 0 ? 429 : 202;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        try {
            InjectOptions o = new InjectOptions();
            new CommandLine(o).parseArgs("-n", "20", "-c", "2", "--domain", "gmail.test");
            Injection injection = new Injection(o, "http");
            injection.viaHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/inject"), null);
            InjectStats s = injection.stats();
            assertEquals(20, bodies.size());
            assertEquals(15, s.accepted.get());
            assertEquals(5, s.tempfailed.get());
            assertEquals(0, s.errors.get());
            String b = bodies.get(0);
            assertTrue(b.startsWith("{\"envelope_sender\":\"bench@bench.test\",\"recipients\":[{\"email\":\"user"), b);
            assertTrue(b.contains("@gmail.test\"}],\"content\":\"From: Sluice Bench <bench@bench.test>\\r\\n"), b);
            assertTrue(b.contains("X-Sluice-Bench-Id: http-"), b);
        } finally {
            server.stop(0);
        }
    }
}
