package io.sluice.daemon.egress.tls.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Sends a report by HTTPS POST (RFC 8460 §5.4): the gzipped JSON with
 * {@code Content-Type: application/tlsrpt+gzip}. A 2xx answer is success; redirects are not
 * followed; anything else is retried by the schedule.
 */
public final class HttpsReportTransport implements ReportTransport {
    private final HttpClient client;
    private final Duration timeout;

    /** @param tls the trust the receivers' certificates are checked against (the JDK default in the daemon) */
    public HttpsReportTransport(SSLContext tls, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String scheme() {
        return "https";
    }

    @Override
    public void send(TlsReport report, URI rua) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(rua).timeout(timeout)
                .header("Content-Type", "application/tlsrpt+gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(report.gzipped())).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("POST " + rua + " answered " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + rua, e);
        }
    }
}
