package io.sluice.bench.inject;

import io.sluice.bench.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Parses {@code host:port} and checks up front that something listens there. */
public final class Targets {
    private Targets() {
    }

    public static InetSocketAddress hostPort(String text, String option) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UserError(option + " " + text + ": expected host:port");
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(text.substring(0, colon).replace("[", "").replace("]", ""), port);
        } catch (NumberFormatException e) {
            throw new UserError(option + " " + text + ": the port must be a number 0-65535");
        }
    }

    public static void reachable(String host, int port, String what) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
        } catch (IOException e) {
            throw new UserError("cannot connect to " + what + " at " + host + ":" + port + ": " + e.getMessage());
        }
    }

    public static URI httpEndpoint(String text) {
        URI u;
        try {
            u = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("--http " + text + ": not a URL");
        }
        if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
            throw new UserError("--http " + text + ": expected http://host:port[/api/v1/inject]");
        }
        if (u.getPath() == null || u.getPath().isEmpty() || "/".equals(u.getPath())) {
            u = u.resolve("/api/v1/inject");
        }
        return u;
    }
}
