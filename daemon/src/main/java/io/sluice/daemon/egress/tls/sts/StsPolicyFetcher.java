package io.sluice.daemon.egress.tls.sts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} with RFC 8461 §3.3's limits:
 * the Web PKI checks the policy host's certificate (SNI sent, name checked), only a 200 counts
 * (a redirect is refused, not followed), the media type must be {@code text/plain}, the body is at
 * most 64 KiB, and the whole fetch has a deadline.
 *
 * <p>Written over a plain {@link SSLSocket} and HTTP/1.1 with {@code Connection: close} rather
 * than {@code java.net.http}, because the JDK client cannot be told to connect somewhere other
 * than the URL's host while still checking the certificate against that host: the
 * {@code policy-hosts} override (tests, split-horizon operations) needs exactly that. Blocking:
 * run it on a thread of its own.
 */
public final class StsPolicyFetcher {
    /** RFC 8461 §3.3: senders may refuse policies over 64 KiB. */
    public static final int MAX_POLICY_BYTES = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final String PATH = "/.well-known/mta-sts.txt";

    private final SSLContext tls;
    private final Duration timeout;
    private final Map<String, InetSocketAddress> policyHosts;

    /**
     * @param tls         trust anchors for policy hosts (the JDK's or {@code sluice.tls.trust-store})
     * @param timeout     the whole fetch, connect to last byte
     * @param policyHosts where to connect for a policy host instead of its address on port 443
     */
    public StsPolicyFetcher(SSLContext tls, Duration timeout, Map<String, InetSocketAddress> policyHosts) {
        this.tls = tls;
        this.timeout = timeout;
        this.policyHosts = Map.copyOf(policyHosts);
    }

    /** The policy host of a domain. */
    public static String policyHost(String domain) {
        return "mta-sts." + domain;
    }

    /** The policy text, or why there is none usable. */
    public String fetch(String domain) throws StsFetchException {
        String host = policyHost(domain);
        long deadline = System.nanoTime() + timeout.toNanos();
        InetSocketAddress target = policyHosts.get(host);
        if (target == null) {
            target = new InetSocketAddress(host, 443);
        } else {
            target = new InetSocketAddress(target.getHostString(), target.getPort());
        }
        if (target.isUnresolved()) {
            throw new StsFetchException(StsFetchException.Problem.FETCH_ERROR, "policy host " + host + " has no address", null);
        }
        try (Socket plain = new Socket()) {
            plain.connect(target, millisLeft(deadline));
            plain.setSoTimeout(millisLeft(deadline));
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, target.getPort(), true)) {
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                params.setServerNames(List.of(new SNIHostName(host)));
                params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                socket.setSSLParameters(params);
                try {
                    socket.startHandshake();
                } catch (SSLHandshakeException e) {
                    throw new StsFetchException(StsFetchException.Problem.WEBPKI_INVALID,
                            "policy host " + host + " failed the Web PKI check: " + e.getMessage(), e);
                }
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/plain\r\n"
                        + "User-Agent: Sluice MTA-STS\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return read(host, socket, deadline);
            }
        } catch (StsFetchException e) {
            throw e;
        } catch (SSLException e) {
            throw new StsFetchException(StsFetchException.Problem.WEBPKI_INVALID, "TLS with " + host + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StsFetchException(StsFetchException.Problem.FETCH_ERROR, "fetching the policy from " + host
                    + " failed: " + e, e);
        }
    }

    private String read(String host, Socket socket, long deadline) throws IOException, StsFetchException {
        InputStream in = socket.getInputStream();
        String head = headers(in, socket, deadline);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw fetchError(host, "not an HTTP reply: " + printable(lines[0]));
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw fetchError(host, "not an HTTP status: " + printable(lines[0]));
        }
        if (code / 100 == 3) {
            throw fetchError(host, "HTTP " + code + ": redirects are refused (RFC 8461 §3.3)");
        }
        if (code != 200) {
            throw fetchError(host, "HTTP " + code);
        }
        String contentType = null;
        String transferEncoding = null;
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            switch (name) {
                case "content-type" -> contentType = value;
                case "transfer-encoding" -> transferEncoding = value.toLowerCase(Locale.ROOT);
                case "content-length" -> length = contentLength(host, value);
                default -> {
                }
            }
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/plain")) {
            throw new StsFetchException(StsFetchException.Problem.INVALID, "policy from " + host + " is "
                    + (contentType == null ? "without a media type" : printable(contentType)) + ", not text/plain", null);
        }
        if (length > MAX_POLICY_BYTES) {
            throw tooLarge(host);
        }
        byte[] body;
        if (transferEncoding != null && transferEncoding.contains("chunked")) {
            body = chunked(host, in, socket, deadline);
        } else {
            body = upTo(host, in, socket, deadline, length);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private String headers(InputStream in, Socket socket, long deadline) throws IOException, StsFetchException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0; // bytes of "\r\n\r\n" seen
        while (state < 4) {
            socket.setSoTimeout(millisLeft(deadline));
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the HTTP header");
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("HTTP header over " + MAX_HEADER_BYTES + " bytes");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] upTo(String host, InputStream in, Socket socket, long deadline, long length)
            throws IOException, StsFetchException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (length < 0 || body.size() < length) {
            socket.setSoTimeout(millisLeft(deadline));
            int want = length < 0 ? buffer.length : (int) Math.min(buffer.length, length - body.size());
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                if (length >= 0) {
                    throw new IOException("connection closed after " + body.size() + " of " + length + " bytes");
                }
                break;
            }
            body.write(buffer, 0, n);
            if (body.size() > MAX_POLICY_BYTES) {
                throw tooLarge(host);
            }
        }
        return body.toByteArray();
    }

    private byte[] chunked(String host, InputStream in, Socket socket, long deadline) throws IOException, StsFetchException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, socket, deadline);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + printable(sizeLine));
            }
            if (size == 0) {
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > MAX_POLICY_BYTES) {
                throw tooLarge(host);
            }
            body.write(upTo(host, in, socket, deadline, size));
            line(in, socket, deadline); // the CRLF after the chunk
        }
    }

    private static String line(InputStream in, Socket socket, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            socket.setSoTimeout(millisLeft(deadline));
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a chunk header");
            }
            if (b == '\n') {
                return line.toString().strip();
            }
            if (line.length() > 1024) {
                throw new IOException("chunk header too long");
            }
            line.append((char) b);
        }
    }

    private static long contentLength(String host, String value) throws StsFetchException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw fetchError(host, "bad Content-Length: " + printable(value));
        }
    }

    private static StsFetchException tooLarge(String host) {
        return new StsFetchException(StsFetchException.Problem.INVALID, "policy from " + host + " is over "
                + MAX_POLICY_BYTES + " bytes (RFC 8461 §3.3)", null);
    }

    private static StsFetchException fetchError(String host, String why) {
        return new StsFetchException(StsFetchException.Problem.FETCH_ERROR, "policy from " + host + ": " + why, null);
    }

    /* What is left of the deadline, at least 1 ms (0 would mean "forever" to a socket). */
    private static int millisLeft(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new java.net.SocketTimeoutException("policy fetch deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
