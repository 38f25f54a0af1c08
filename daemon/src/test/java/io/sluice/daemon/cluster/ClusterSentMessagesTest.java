package io.sluice.daemon.cluster;

import io.sluice.daemon.it.RedisServer;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import io.sluice.daemon.outcome.tokens.SentDelivery;
import io.sluice.daemon.outcome.tokens.SentMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Message-ID index shared between "nodes" (links and indexes of their own) through a real
 * redis-server: a bounce that lost its token, received by node B, is tied to the delivery node A
 * sent, and B keeps it across its own restart.
 */
class ClusterSentMessagesTest {
    @TempDir
    Path dir;
    RedisServer redis;
    String prefix;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisServer.shared(dir.resolve("redis"));
        prefix = RedisServer.freshPrefix();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private RedisLink link(String node) {
        RedisLink link = new RedisLink(new ClusterSettings(redis.uri(), node, prefix, 0.5, Duration.ofMillis(250),
                Duration.ofMillis(25), Duration.ofMillis(500), Duration.ofSeconds(10)));
        open.add(link);
        RedisHoldBroadcastTest.awaitTrue(link::up);
        return link;
    }

    private SentMessages index(String node) throws Exception {
        SentMessages index = SentMessages.open(dir.resolve(node), 100);
        open.add(index);
        open.add(new ClusterSentMessages(link(node), index));
        return index;
    }

    private static byte[] ours(String messageId) {
        return ("From: News <news@sender.test>\r\nTo: list@sender.test\r\nMessage-ID: " + messageId
                + "\r\nSubject: news\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] quoted(String messageId) {
        return ("From: news@sender.test\r\nMessage-ID: " + messageId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aBounceReceivedByNodeBMatchesMailNodeASentAndBKeepsItAcrossARestart() throws Exception {
        SentMessages a = index("mta-a");
        SentMessages b = index("mta-b");
        // both subscribed before A sends: pub/sub replays nothing to a late subscriber
        RedisLink probe = link("probe");
        String channel = probe.settings().key("sent-messages");
        RedisHoldBroadcastTest.awaitTrue(() -> probe.commands().pubsubNumsub(channel).getOrDefault(channel, 0L) >= 2);
        a.sent(ours("<n1@sender.test>"), "01JSPOOLOFNODEA00000000001", 2, "acme", "gone@dest.test");
        ReturnPaths.Resolved expected = new ReturnPaths.Resolved("acme", "gone@dest.test", "01JSPOOLOFNODEA00000000001", 2);
        RedisHoldBroadcastTest.awaitTrue(() -> b.find(quoted("<n1@sender.test>"), List.of("gone@dest.test")).isPresent());
        assertEquals(expected, b.find(quoted("<n1@sender.test>"), List.of("gone@dest.test")).orElseThrow());
        assertEquals(1, a.size(), "a does not take its own delivery back from the channel");

        b.close();
        try (SentMessages reopened = SentMessages.open(dir.resolve("mta-b"), 100)) {
            assertEquals(expected, reopened.find(quoted("<n1@sender.test>"), List.of("gone@dest.test")).orElseThrow(),
                    "what B heard is in B's own file");
        }
    }

    @Test
    void ourOwnEchoAndGarbageAreIgnored() {
        SentDelivery d = new SentDelivery("n2@sender.test", "spool-1", 0, "acme", "news@sender.test", "r@dest.test");
        String message = ClusterSentMessages.encode("mta-a", List.of(d, d));
        assertTrue(ClusterSentMessages.decode("mta-a", message).isEmpty(), "our own echo");
        assertEquals(List.of(d, d), ClusterSentMessages.decode("mta-b", message));
        assertEquals(List.of(d), ClusterSentMessages.decode("mta-b", "mta-a\nnonsense\n" + d.line() + "\nx\ty\tz\tw\tv\tu"));
        assertTrue(ClusterSentMessages.decode("mta-b", "just one line").isEmpty());
    }
}
