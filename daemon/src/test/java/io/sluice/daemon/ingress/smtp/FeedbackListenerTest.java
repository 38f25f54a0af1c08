package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.EventSettings;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.outcome.feedback.FeedbackInbox;
import io.sluice.daemon.outcome.feedback.HygienePolicy;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.DeliveryToken;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import io.sluice.daemon.outcome.tokens.SentMessages;
import io.sluice.protocol.bounce.BounceCategory;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.feedback.FeedbackParser;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.RejectException;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 item 4: the feedback addresses take mail from anyone, so what a stranger can make the
 * listener do with one connection is bounded: a VERP token whose HMAC does not verify is refused
 * at RCPT, feedback DATA is capped well below the relay limit, a message is parsed once however
 * many feedback recipients it names, and feedback transactions are rated per client.
 */
class FeedbackListenerTest {
    private static final String BOUNCE_DOMAIN = "bounces.example.test";
    private static final String FBL = "fbl@" + BOUNCE_DOMAIN;
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Spool spool;
    private SuppressionStore store;
    private EventLog events;
    private ReturnPaths returnPaths;
    private FeedbackInbox inbox;
    private final AtomicInteger parses = new AtomicInteger();
    private String genuine;

    @BeforeEach
    void open() throws Exception {
        FeedbackSettings.Policy policy = new FeedbackSettings.Policy(true, true, 5, Duration.ofDays(7), Duration.ofDays(30),
                EnumSet.of(BounceCategory.QUOTA_ISSUES), BOUNCE_DOMAIN, false);
        FeedbackSettings settings = new FeedbackSettings(policy, Map.of(), "test-secret-0123456789", "X-Sluice-Trace",
                FBL, null, BOUNCE_DOMAIN);
        spool = Spool.open(SpoolSettings.defaults(dir.resolve("spool")).withMinFreeBytes(0));
        store = SuppressionStore.open(dir.resolve("suppression"), Clock.systemUTC(), 16, null);
        events = new EventLog(new EventSettings(dir.resolve("events.jsonl").toString(), 1 << 20, Duration.ofDays(1), 2,
                1000, Duration.ofSeconds(1), 0), Clock.systemUTC());
        returnPaths = new ReturnPaths(settings, spool);
        BounceParser bounces = new BounceParser();
        FeedbackParser complaints = new FeedbackParser();
        inbox = new FeedbackInbox(settings, returnPaths, raw -> {
            parses.incrementAndGet();
            return bounces.parse(raw);
        }, raw -> {
            parses.incrementAndGet();
            return complaints.parse(raw);
        }, new HygienePolicy(store, settings, BounceClassifier.bundled(), Clock.systemUTC()), events, Clock.systemUTC(),
                new SentMessages(16));
        MessageId id = spool.accept(new Envelope("news@sender.test", List.of("dsn@dest.test"), Instant.now(), Map.of()),
                "Subject: news\r\n\r\nHello.\r\n".getBytes(StandardCharsets.US_ASCII));
        DeliveryToken token = returnPaths.issue(id.value(), 0, "default", "dsn@dest.test");
        genuine = returnPaths.returnPath(token, "default");
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        store.close();
        spool.close();
    }

    private IngressSession session(String client, FeedbackLimits limits) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(client), 40000);
        MessageContext context = (MessageContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MessageContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddress" -> remote;
                    case "getAuthenticationHandler", "getHelo" -> java.util.Optional.empty();
                    default -> null;
                });
        IngressSession.Policy nobodyRelays = new IngressSession.Policy(false, ctx -> false, ctx -> Map.of(),
                (ctx, a, v) -> null);
        IngressSession s = new IngressSession(context, null, nobodyRelays, null, null, null, FROZEN,
                50L << 20, 1000, inbox, limits, io.sluice.daemon.ingress.TenantDomainCheck.undeclared(), null);
        s.from("");
        return s;
    }

    private static FeedbackLimits limits(long maxBytes, int perMinute) {
        return new FeedbackLimits(maxBytes, perMinute, FROZEN);
    }

    private static ByteArrayInputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aTokenWhoseHmacDoesNotVerifyIsRefusedAtRcpt() throws Exception {
        IngressSession s = session("203.0.113.7", limits(2 << 20, 0));
        assertDoesNotThrow(() -> s.recipient(genuine));
        String forged = genuine.replaceFirst("-[a-z2-7]{13}@", "-aaaaaaaaaaaaa@");
        assertTrue(!forged.equals(genuine), genuine);
        RejectException refused = assertThrows(RejectException.class, () -> s.recipient(forged));
        assertEquals(550, refused.getCode());
        assertTrue(refused.getMessage().contains("5.1.1"), refused.getMessage());
    }

    @Test
    void feedbackDataPastItsCapIsRefusedWhileTheRelayLimitIsLarger() throws Exception {
        IngressSession s = session("203.0.113.7", limits(4096, 0));
        s.recipient(FBL);
        String big = "Subject: report\r\n\r\n" + "x".repeat(70).concat("\r\n").repeat(200); // ~14 KB
        RejectException refused = assertThrows(RejectException.class, () -> s.data(text(big)));
        assertEquals(552, refused.getCode());
        assertTrue(refused.getMessage().contains("5.3.4"), refused.getMessage());
        assertEquals(0, parses.get(), "nothing parsed");
    }

    @Test
    void aMessageIsParsedOnceHoweverManyFeedbackRecipients() throws Exception {
        IngressSession s = session("203.0.113.7", limits(2 << 20, 0));
        for (int i = 0; i < 20; i++) {
            s.recipient(i % 2 == 0 ? genuine : FBL);
        }
        s.data(text("Subject: hello\r\n\r\nnot a bounce at all\r\n"));
        // at most one bounce parse and one complaint parse for the whole message (was one each per recipient)
        assertTrue(parses.get() <= 2, parses.get() + " parses for 20 feedback recipients");
    }

    @Test
    void feedbackTransactionsAreRatedPerClient() throws Exception {
        FeedbackLimits limits = limits(2 << 20, 2);
        for (int i = 0; i < 2; i++) {
            IngressSession s = session("203.0.113.7", limits);
            assertDoesNotThrow(() -> s.recipient(FBL), "transaction " + (i + 1));
            assertDoesNotThrow(() -> s.recipient(genuine), "a second recipient of the same transaction is not charged");
        }
        RejectException third = assertThrows(RejectException.class, () -> session("203.0.113.7", limits).recipient(FBL));
        assertEquals(450, third.getCode());
        assertTrue(third.getMessage().contains("4.7.1"), third.getMessage());
        assertDoesNotThrow(() -> session("203.0.113.8", limits).recipient(FBL), "another client has its own budget");
    }
}
