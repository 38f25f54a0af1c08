package io.sluice.bench.inject;

/**
 * Where and how to inject over SMTP.
 *
 * @param messagesPerConnection transactions before a connection is renewed; 0 = keep it
 */
public record SmtpTarget(String host, int port, int connections, boolean startTls, String authUser,
        String authPassword, String ehloName, int messagesPerConnection) {
}
