package io.sluice.protocol.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A one-connection server that misbehaves on purpose: sends a banner (or nothing), then answers
 * each command by its verb from a map, "" meaning stay silent, and hangs up after a 421.
 */
final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    ScriptedServer(String banner, Map<String, String> replies) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(banner, replies), "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve(String banner, Map<String, String> replies) {
        try (Socket s = server.accept()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            if (!banner.isEmpty()) {
                out.write((banner + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (banner.startsWith("421")) {
                    return;
                }
            }
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.split("[ :]", 2)[0].toUpperCase();
                String reply = replies.getOrDefault(verb, "250 ok");
                if (!reply.isEmpty()) {
                    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (reply.startsWith("421") || verb.equals("QUIT")) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    static Map<String, String> replies(String... verbAndReply) {
        return Map.ofEntries(java.util.stream.IntStream.range(0, verbAndReply.length / 2)
                .mapToObj(i -> Map.entry(verbAndReply[2 * i], verbAndReply[2 * i + 1]))
                .toArray(Map.Entry[]::new));
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }
}
