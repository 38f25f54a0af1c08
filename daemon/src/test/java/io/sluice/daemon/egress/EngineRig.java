package io.sluice.daemon.egress;

import io.sluice.daemon.egress.route.Destination;

import io.sluice.daemon.TestClock;
import io.sluice.daemon.cluster.Shared;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.config.FeedbackSettings;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.Rate;
import io.sluice.daemon.egress.signing.DkimSettings;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.outcome.feedback.HygienePolicy;
import io.sluice.daemon.outcome.suppression.SuppressionStore;
import io.sluice.daemon.outcome.tokens.DeliveryHeaders;
import io.sluice.daemon.outcome.tokens.ReturnPaths;
import io.sluice.protocol.bounce.BounceCategory;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.queue.DeliveryId;
import io.sluice.queue.Envelope;
import io.sluice.queue.MessageId;
import io.sluice.queue.Outcome;
import io.sluice.queue.StoredMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The egress engine without a daemon: a hand-moved clock, a {@link FakeTransport}, a route table
 * instead of DNS, a journal and an event list in memory, and a worker executor that runs only
 * when {@link #settle()} says so. Nothing here sleeps; a test moves the clock and settles.
 */
final class EngineRig implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofHours(4), 0.0,
            Duration.ofDays(3));
    static final Duration DOWN_FOR = Duration.ofMinutes(5);

    /**
     * Runs queued work only when asked, on the caller's thread. A task that throws is kept in
     * {@link #escaped}, as a worker pool's uncaught-exception handler would log it and go on.
     */
    static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        final List<Throwable> escaped = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        /** Runs tasks (and the tasks they queue) until none is left; how many ran. */
        int runAll() {
            int n = 0;
            Runnable r;
            while ((r = next()) != null) {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    escaped.add(e);
                }
                n++;
            }
            return n;
        }

        private synchronized Runnable next() {
            return queued.poll();
        }
    }

    final TestClock clock = new TestClock(START);
    final FakeTransport transport = new FakeTransport();
    final Map<DeliveryId, List<Outcome>> journal = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    /** What the engine recorded for TLS-RPT. */
    final List<io.sluice.daemon.egress.tls.TlsResult> tlsResults = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ManualExecutor work = new ManualExecutor();
    final Dispatcher engine;
    final WarmupBudgets warmup;
    private final Map<String, RouteDecision> routes = new HashMap<>();
    /** Domains whose route lookup throws at once (a bug in the resolver), not a failed future. */
    private final java.util.Set<String> lookupThrows = new java.util.HashSet<>();
    private final Map<MessageId, StoredMessage> messages = new HashMap<>();
    /** Messages the spool cannot read now (a damaged or unreadable record). */
    private final java.util.Set<MessageId> unreadable = new java.util.HashSet<>();
    /** How many journal writes fail from now on (a full or broken journal). */
    int journalFailures;
    private final ScheduledExecutorService paced = Executors.newSingleThreadScheduledExecutor();
    private final SuppressionStore suppressions;

    /**
     * @param dir     a temporary directory (suppression store, files)
     * @param egress  the egress file's text, or null for one implicit source
     * @param rules   the rules file's text, or null for the shipped rules
     */
    EngineRig(Path dir, String egress, String rules) throws Exception {
        this(dir, egress, rules, io.sluice.daemon.egress.window.WindowPolicy.NONE);
    }

    /** As above, with configured delivery windows (per tenant or campaign). */
    EngineRig(Path dir, String egress, String rules, io.sluice.daemon.egress.window.WindowPolicy windows)
            throws Exception {
        this(dir, egress, rules, windows, Duration.ZERO);
    }

    /** As above, keeping connections without work open for {@code idleTime} (zero: QUIT at once). */
    EngineRig(Path dir, String egress, String rules, io.sluice.daemon.egress.window.WindowPolicy windows,
              Duration idleTime) throws Exception {
        ProviderRule base = new ProviderRule("default", List.of(), List.of(), 1, 1000, 1000, Rate.UNLIMITED,
                Rate.UNLIMITED, TlsMode.OPPORTUNISTIC);
        EgressFiles files = new EgressFiles(write(dir, "egress.yml", egress), write(dir, "rules.yml", rules), base);
        EgressConfig config = files.read();
        this.warmup = new WarmupBudgets(config.plan(), clock, null);
        this.suppressions = SuppressionStore.open(dir.resolve("suppressions"), clock, 16, null);
        FeedbackSettings.Policy policy = new FeedbackSettings.Policy(true, true, 3, Duration.ofDays(7),
                Duration.ofDays(30), EnumSet.of(BounceCategory.QUOTA_ISSUES), null, false);
        FeedbackSettings feedback = new FeedbackSettings(policy, Map.of(), null, null, null, null, null);
        HygienePolicy hygiene = new HygienePolicy(suppressions, feedback, BounceClassifier.bundled(), clock);
        DeliveryOutcomes outcomes = new DeliveryOutcomes((id, o) -> {
            if (journalFailures > 0) {
                journalFailures--;
                throw new IllegalStateException("journal write failed (scripted)");
            }
            journal.computeIfAbsent(id, k -> new ArrayList<>()).add(o);
        }, events::add, RETRY, clock, hygiene);
        SendAssembly assembly = new SendAssembly(this::read,
                new DeliveryHeaders(feedback, new ReturnPaths(feedback, null)),
                new MessageSigner(DkimSettings.none()), clock);
        this.engine = new Dispatcher(new Dispatcher.Wiring(new Table(), transport, outcomes, assembly, events::add,
                clock, files, config, warmup, Shared.LOCAL, DOWN_FOR,
                new EgressSettings(null, null, Duration.ofMillis(20), Duration.ofMinutes(5), Duration.ofDays(1), idleTime),
                work, paced, windows, tlsResults::add));
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        if (text == null) {
            return null;
        }
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** {@code domain}'s mail goes to one MX host with one address. */
    static RouteDecision.Target target(String host, String ip) throws UnknownHostException {
        return new RouteDecision.Target(host, new InetSocketAddress(InetAddress.getByName(ip), 25));
    }

    void route(String domain, RouteDecision.Target... targets) {
        routes.put(domain, new RouteDecision.Targets(List.of(targets)));
    }

    private StoredMessage read(MessageId id) throws io.sluice.queue.SpoolException {
        if (unreadable.contains(id)) {
            throw new io.sluice.queue.SpoolException("cannot read " + id + ": checksum mismatch (scripted)");
        }
        return messages.get(id);
    }

    /** Reads of this message fail until {@link #readable}. */
    void unreadable(MessageId id) {
        unreadable.add(id);
    }

    void readable(MessageId id) {
        unreadable.remove(id);
    }

    /** Looking up {@code domain}'s route throws at once instead of answering. */
    void lookupThrows(String domain) {
        lookupThrows.add(domain);
    }

    /** Spools one message to {@code recipients} and hands its deliveries to the engine. */
    List<Delivery> submit(Map<String, String> attributes, String... recipients) {
        return submitAt(attributes, null, recipients);
    }

    /** As {@link #submit}, due at {@code due} (a {@code send_at}), or now when null. */
    List<Delivery> submitAt(Map<String, String> attributes, Instant due, String... recipients) {
        MessageId id = MessageId.next();
        byte[] body = "Subject: test\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        messages.put(id, new StoredMessage(id, new Envelope("sender@sluice.test", List.of(recipients),
                clock.instant(), attributes), body));
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < recipients.length; i++) {
            Delivery d = new Delivery(new DeliveryId(id, i), "sender@sluice.test", recipients[i],
                    Delivery.domainOf(recipients[i]), clock.instant(), 0, attributes);
            engine.submitAt(d, due);
            out.add(d);
        }
        return out;
    }

    List<Delivery> submit(String... recipients) {
        return submit(Map.of(), recipients);
    }

    /** Ticks and runs the workers until neither has anything left to do at this clock time. */
    void settle() {
        for (int quiet = 0, rounds = 0; quiet < 3; rounds++) {
            if (rounds > 10_000) {
                throw new AssertionError("the engine does not settle");
            }
            engine.tick();
            quiet = work.runAll() == 0 ? quiet + 1 : 0;
        }
    }

    /** Moves the clock and settles. */
    void advance(Duration d) {
        clock.advance(d);
        settle();
    }

    /** The last outcome journaled for {@code d}, or null. */
    Outcome last(Delivery d) {
        List<Outcome> all = journal.get(d.id());
        return all == null ? null : all.get(all.size() - 1);
    }

    long count(Class<? extends Outcome> kind) {
        return journal.values().stream().filter(l -> kind.isInstance(l.get(l.size() - 1))).count();
    }

    long waiting() {
        return engine.queues().waiting();
    }

    @Override
    public void close() {
        paced.shutdownNow();
        suppressions.close();
    }

    private final class Table implements RouteLookup {
        @Override
        public Destination destinationOf(String domain) {
            return Destination.domain(domain);
        }

        @Override
        public CompletableFuture<RouteDecision> route(Destination destination) {
            String destinationKey = destination.key();
            if (lookupThrows.contains(destinationKey)) {
                throw new IllegalStateException("resolver bug (scripted)");
            }
            RouteDecision d = routes.get(destinationKey);
            return CompletableFuture.completedFuture(d != null ? d
                    : new RouteDecision.Refused(io.sluice.protocol.smtp.SmtpReply.of(550, "5.1.2", "no such domain")));
        }
    }
}
