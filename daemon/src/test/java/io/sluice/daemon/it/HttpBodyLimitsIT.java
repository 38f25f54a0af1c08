package io.sluice.daemon.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP body is not read before it may be: the caller is authenticated first, a declared
 * Content-Length over the route's limit is refused before a byte of body is sent, and a chunked
 * body is counted as it arrives. Raw sockets, so the test decides exactly what is sent and when;
 * a refusal that only comes after the whole body would leave the reads below waiting until the
 * hang guard (a 30 s socket timeout) fails the test.
 */
class HttpBodyLimitsIT {
    private static final long TWO_HUNDRED_MB = 200L * 1024 * 1024;

    @Test
    void injectionBodiesAreBoundedBeforeTheyAreRead(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.smarthost", "127.0.0.1:9") // nothing is delivered here
                .set("sluice.api.max-body", "3MB")
                .start()) {
            // declared too large: 413 problem+json with no body sent at all
            Answer declared = send(daemon, "POST /api/v1/inject", "Content-Type: application/json\r\n"
                    + "Content-Length: " + TWO_HUNDRED_MB + "\r\n", null);
            assertEquals(413, declared.status(), declared.text());
            assertTrue(declared.isProblem(), declared.text());
            assertTrue(declared.text().contains("sluice.api.max-body"), declared.text());

            // chunked, never declared: refused once the count passes the limit
            Answer chunked = send(daemon, "POST /api/v1/inject", "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n", 4 * 1024 * 1024);
            assertEquals(413, chunked.status(), chunked.text());
            assertTrue(chunked.isProblem(), chunked.text());
            assertTrue(chunked.text().contains("sluice.api.max-body"), chunked.text());

            // within the limit, though over the server's 1MB buffer for whole bodies: still served
            String twoMegabytes = "{\"envelope_sender\":\"a@src.test\",\"recipients\":[{\"email\":\"b@x.test\"}],"
                    + "\"content\":{\"from\":\"a@src.test\",\"subject\":\"s\",\"text_body\":\""
                    + "line of text\\n".repeat(150_000) + "\"}}";
            HttpResponse<String> large = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/inject"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(twoMegabytes)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, large.statusCode(), large.body());
            assertEquals(200, health(daemon));
        }
    }

    @Test
    void anUnauthenticatedCallerIsRefusedBeforeItsBodyIsRead(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.smarthost", "127.0.0.1:9")
                .set("sluice.api.require-tokens", true)
                .set("sluice.api.tokens.shop.sha256", ApiAuthIT.sha256("shop-token"))
                .start()) {
            // within the limit, so only authentication can refuse it before the body
            Answer refused = send(daemon, "POST /api/v1/inject", "Content-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n", null);
            assertEquals(401, refused.status(), refused.text());
            assertTrue(refused.isProblem(), refused.text());
        }
    }

    @Test
    void unsubscribeBodiesAreBoundedByTheServerWideBufferLimit(@TempDir Path dir) throws Exception {
        try (DaemonProcess daemon = DaemonProcess.in(dir)
                .set("sluice.smarthost", "127.0.0.1:9")
                .start()) {
            Answer big = send(daemon, "POST /u/not-a-token", "Content-Type: text/plain\r\n"
                    + "Transfer-Encoding: chunked\r\n", 8 * 1024 * 1024);
            assertEquals(413, big.status(), big.text());
            assertEquals(200, health(daemon));
        }
    }

    record Answer(int status, String head, String text) {
        boolean isProblem() {
            return head.toLowerCase().contains("content-type: application/problem+json");
        }
    }

    /**
     * Sends the request head; then, when {@code chunkedBytes} is not null, that many bytes of
     * chunked body in 64 KiB chunks, stopping early if the server has answered or closed.
     */
    private static Answer send(DaemonProcess daemon, String requestLine, String headers, Integer chunkedBytes)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), daemon.httpPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            if (chunkedBytes != null) {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                try {
                    for (int sent = 0; sent < chunkedBytes && in.available() == 0; sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server refused and closed mid-body: its answer is still to be read
                }
            }
            return readAnswer(in);
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                String sofar = got.toString(StandardCharsets.UTF_8);
                int end = sofar.indexOf("\r\n\r\n");
                if (end > 0 && complete(sofar, end)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 30 s; got so far: " + got.toString(StandardCharsets.UTF_8), e);
        } catch (IOException reset) {
            // a reset after the answer: keep what arrived
        }
        String all = got.toString(StandardCharsets.UTF_8);
        assertTrue(all.startsWith("HTTP/1.1 "), "no HTTP answer: " + all);
        int end = all.indexOf("\r\n\r\n");
        return new Answer(Integer.parseInt(all.substring(9, 12)), all.substring(0, Math.max(end, 0)),
                end < 0 ? "" : all.substring(end + 4));
    }

    private static boolean complete(String sofar, int headEnd) {
        String head = sofar.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return head.contains("transfer-encoding: chunked") ? sofar.endsWith("0\r\n\r\n") : false;
        }
        int eol = head.indexOf("\r\n", at);
        long len = Long.parseLong(head.substring(at + 15, eol < 0 ? head.length() : eol).strip());
        return sofar.length() - headEnd - 4 >= len;
    }

    private static int health(DaemonProcess daemon) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + daemon.httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
