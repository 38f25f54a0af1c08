package io.sluice.daemon.egress;

import io.sluice.daemon.config.ConfigException;
import io.sluice.daemon.config.DeliverySettings;
import io.sluice.daemon.config.EgressSettings;
import io.sluice.daemon.config.SpoolSettingsConfig;
import io.sluice.daemon.egress.signing.MessageSigner;
import io.sluice.daemon.outcome.tokens.DeliveryHeaders;
import io.sluice.daemon.cluster.Shared;
import io.sluice.daemon.egress.sources.EgressPlan;
import io.sluice.daemon.egress.sources.Pool;
import io.sluice.daemon.egress.sources.Source;
import io.sluice.daemon.operate.events.Event;
import io.sluice.daemon.operate.events.EventLog;
import io.sluice.daemon.operate.events.Response;
import io.sluice.daemon.egress.schedule.FairQueues;
import io.sluice.daemon.egress.schedule.QueueKey;
import io.sluice.daemon.egress.schedule.ScheduledQueue;
import io.sluice.daemon.egress.schedule.TimerWheel;
import io.sluice.daemon.egress.shaping.Backoff;
import io.sluice.daemon.egress.shaping.ProviderRule;
import io.sluice.daemon.egress.shaping.HoldBroadcast;
import io.sluice.daemon.egress.shaping.Rate;
import io.sluice.daemon.egress.shaping.ReplyRule;
import io.sluice.daemon.egress.shaping.ShapingRules;
import io.sluice.daemon.egress.shaping.Suspensions;
import io.sluice.daemon.egress.warmup.WarmupBudgets;
import io.sluice.protocol.client.ClientSettings;
import io.sluice.protocol.client.SmtpClient;
import io.sluice.protocol.client.SmtpClientException;
import io.sluice.protocol.client.SmtpConnection;
import io.sluice.protocol.client.TlsMode;
import io.sluice.protocol.client.Transaction;
import io.sluice.protocol.smtp.SmtpReply;
import io.sluice.queue.Spool;
import io.sluice.queue.SpoolException;
import io.sluice.queue.StoredMessage;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The egress engine. One scheduler thread owns the timers (a {@link TimerWheel}) and the
 * scheduled queues per (tenant, campaign, domain) ({@link FairQueues}); it moves due deliveries
 * to the ready queue of an egress path (source x site) when the path has room, the source's
 * warm-up budget and message rate for the provider allow, and nothing is suspended. Connections
 * take from ready queues; each path gets up to its provider rule's connections, each connection
 * carries transactions one after another (up to max-deliveries-per-connection).
 *
 * <p>A path that cannot be reached (connect or TLS failure, a 421 greeting) rests for
 * {@code destination-down-for}: what is queued for it is deferred at once, not tried one by one
 * against a host that is down. Reply rules (adaptive backoff) suspend or throttle; suspended mail
 * waits, it is never bounced for that.
 */
@Singleton
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MOVES_PER_TICK = 20_000;
    /** RFC 5321 §4.5.3.1.8: every server takes at least 100 recipients per transaction. */
    private static final int RECIPIENTS_PER_TRANSACTION = 100;
    private static final Duration MIN_ROUTE_TTL = Duration.ofSeconds(5);
    /** Addresses tried per connection attempt, as Postfix's smtp_mx_address_limit. */
    private static final int ADDRESSES_PER_ATTEMPT = 5;

    private record Timed(Delivery delivery, long dueMillis) {
    }

    private final Router router;
    private final SmtpClient client;
    private final Spool spool;
    private final DeliveryOutcomes outcomes;
    private final Clock clock;
    private final MessageSigner dkim;
    private final DeliveryHeaders perDelivery;
    private final EventLog events;
    private final DeliverySettings settings;
    private final EgressSettings egress;
    private final Duration downFor;
    private final ProviderRule baseRule;
    private final Shared shared;

    private volatile EgressPlan plan;
    private volatile ShapingRules rules;
    private final WarmupBudgets warmup;
    private final Suspensions suspensions = new Suspensions();
    private final Backoff backoff = new Backoff();

    /* owned by the scheduler thread */
    private final FairQueues<Delivery> queues = new FairQueues<>();
    private final TimerWheel<Delivery> wheel;
    private final Map<String, DomainRoute> routes = new HashMap<>();
    private long turn;
    private long lastPersist;
    private long lastPrune;

    private final ConcurrentLinkedQueue<Object> inbound = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, EgressPath> paths = new ConcurrentHashMap<>();
    /** Every source's limits towards every provider, and each provider's totals. */
    private final ProviderLimits limits;
    /** MX addresses whose STARTTLS failed, until when we go to them in clear (opportunistic TLS only). */
    private final ConcurrentHashMap<java.net.InetSocketAddress, Instant> brokenTls = new ConcurrentHashMap<>();
    private final Thread scheduler;
    private final ExecutorService work;
    /** Wakes connections that wait for their provider's message rate (one timer per waiting connection, not per delivery). */
    private final java.util.concurrent.ScheduledExecutorService paced;
    private volatile boolean closed;

    public Dispatcher(Router router, SmtpClient client, Spool spool, DeliveryOutcomes outcomes, Clock clock,
                      DeliverySettings settings, MessageSigner dkim, EgressSettings egress, EventLog events,
                      SpoolSettingsConfig spoolSettings, DeliveryHeaders perDelivery, Shared shared) {
        this.router = router;
        this.shared = shared;
        this.limits = new ProviderLimits(shared.limits());
        this.perDelivery = perDelivery;
        this.dkim = dkim;
        this.client = client;
        this.spool = spool;
        this.outcomes = outcomes;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
        this.egress = egress;
        this.downFor = settings.destinationDownFor();
        this.baseRule = new ProviderRule("default", List.of(), List.of(), settings.connectionsPerDestination(),
                1000, settings.messagesPerConnection(), Rate.UNLIMITED, Rate.UNLIMITED, settings.tls().trim()
                .toLowerCase(Locale.ROOT));
        this.plan = EgressPlan.load(path(egress.file()));
        this.rules = ShapingRules.load(baseRule, path(egress.rulesFile())).validated();
        this.warmup = new WarmupBudgets(plan, clock, Path.of(spoolSettings.dir()).resolve("warmup-progress.txt"),
                shared.warmup());
        this.wheel = new TimerWheel<>(Math.max(1, egress.tick().toMillis()), 1024, clock.millis());
        this.work = Executors.newFixedThreadPool(2, daemonThreads("sluice-dispatch"));
        this.paced = Executors.newSingleThreadScheduledExecutor(daemonThreads("sluice-pacing"));
        this.scheduler = daemonThreads("sluice-scheduler").newThread(this::run);
        this.scheduler.start();
        shared.holds().listen(new HoldBroadcast.Receiver() {
            @Override
            public void suspend(String scope, Instant until) {
                hold(scope, until);
            }

            @Override
            public void resume(String scope) {
                release(scope);
            }
        });
    }

    private static Path path(String file) {
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /* ================================================================ entry points */

    /** Hands over a delivery that is due now. */
    public void submit(Delivery delivery) {
        submitAt(delivery, null);
    }

    /** Hands over a delivery that is due later (a retry). */
    public void submitAt(Delivery delivery, Instant due) {
        if (closed) {
            return; // still live in the spool: recovery picks it up at the next start
        }
        inbound.add(new Timed(delivery, due == null ? Long.MIN_VALUE : due.toEpochMilli()));
        wake();
    }

    /** Runs {@code query} on the scheduler thread (which owns the queues) and returns its answer. */
    <T> T onScheduler(Function<Dispatcher, T> query) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        inbound.add((Runnable) () -> {
            try {
                answer.complete(query.apply(this));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        wake();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the scheduler did not answer: " + e, e);
        }
    }

    private void wake() {
        LockSupport.unpark(scheduler);
    }

    /* ================================================================ the scheduler thread */

    private void run() {
        long tickNanos = Math.max(1, egress.tick().toNanos());
        while (!closed) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("scheduler tick failed", e);
            }
            LockSupport.parkNanos(tickNanos);
        }
    }

    private void tick() {
        long now = clock.millis();
        Object item;
        while ((item = inbound.poll()) != null) {
            if (item instanceof Timed t) {
                if (t.dueMillis() <= now) {
                    enqueue(t.delivery());
                } else {
                    wheel.schedule(t.delivery(), t.dueMillis());
                }
            } else {
                ((Runnable) item).run();
            }
        }
        wheel.advance(now, this::enqueue);
        if (queues.waiting() > 0) {
            queues.promote(this::tryMove, t -> plan.tenantWeight(t), MOVES_PER_TICK);
        }
        for (EgressPath p : paths.values()) {
            if (p.readyCount.get() > 0) {
                pump(p);
            }
        }
        if (now - lastPersist >= 1000) {
            lastPersist = now;
            warmup.persist();
        }
        if (now - lastPrune >= 60_000) {
            lastPrune = now;
            Instant at = clock.instant();
            routes.values().removeIf(r -> !r.pending() && !at.isBefore(r.expires())); // idle domains cost nothing
        }
    }

    private void enqueue(Delivery d) {
        queues.add(QueueKey.of(d.attributes(), d.domain()), d);
    }

    /* Decides for the head of one scheduled queue: which path, if any, takes it now. */
    private FairQueues.Move tryMove(ScheduledQueue<Delivery> q) {
        Instant now = clock.instant();
        QueueKey key = q.key();
        if (held("domain:" + key.domain(), now) || held("tenant:" + key.tenant(), now)
                || held("campaign:" + key.campaign(), now)) {
            return FairQueues.Move.BLOCKED;
        }
        DomainRoute route = route(key.domain(), now);
        if (route == null || route.pending()) {
            return FairQueues.Move.BLOCKED;
        }
        String site = router.destinationKey(key.domain());
        if (route.decision() instanceof RouteDecision.Refused refused) {
            for (Delivery d : queues.drain(q)) {
                outcomes.record(d.nextAttempt(), site, null, refused.reply(), null);
            }
            return FairQueues.Move.BLOCKED;
        }
        if (route.decision() instanceof RouteDecision.Unavailable unavailable) {
            routes.remove(key.domain()); // ask again at the next attempt
            for (Delivery d : queues.drain(q)) {
                retry(outcomes.record(d.nextAttempt(), site, null, unavailable.reply(), null));
            }
            return FairQueues.Move.BLOCKED;
        }
        RouteDecision.Targets targets = (RouteDecision.Targets) route.decision();
        Delivery d = q.peek();
        Pool pool = plan.poolFor(d.attributes().get("pool"), nullIfDefault(key.campaign()), nullIfDefault(key.tenant()));
        ProviderRule rule = route.rule();
        EgressPath restingPath = null;
        boolean anyUp = false;
        for (Source source : pool.order(turn++)) {
            List<RouteDecision.Target> usable = sameFamily(source, targets.targets());
            if (usable.isEmpty()) {
                continue;
            }
            EgressPath path = path(source, route.site(), rule, usable);
            if (path.isDown(now)) {
                restingPath = path;
                continue;
            }
            anyUp = true;
            if (held(Suspensions.path(source.name(), route.site()), now)
                    || held(Suspensions.sourceProvider(source.name(), rule.name()), now)) {
                continue;
            }
            if (path.readyCount.get() >= readyRoom(rule)) {
                continue;
            }
            if (!warmup.tryTake(source, rule.name())) {
                continue;
            }
            q.poll();
            path.add(d);
            return FairQueues.Move.MOVED;
        }
        if (!anyUp && restingPath != null) {
            // every path to the site rests: defer what waits, as one would after trying
            for (Delivery waiting : queues.drain(q)) {
                retry(outcomes.record(waiting.nextAttempt(), site, null, restingPath.downReply(),
                        restingPath.downUntil()));
            }
        }
        return FairQueues.Move.BLOCKED;
    }

    private static String nullIfDefault(String s) {
        return QueueKey.DEFAULT.equals(s) ? null : s;
    }

    private static int readyRoom(ProviderRule rule) {
        return Math.max(4, rule.maxConnectionsPerPath() * 2);
    }

    private boolean held(String scope, Instant now) {
        return !suspensions.isEmpty() && suspensions.holding(scope, now) != null;
    }

    /* The targets a source may try: its own address family only, at most five per attempt. */
    private static List<RouteDecision.Target> sameFamily(Source source, List<RouteDecision.Target> targets) {
        if (source.address() == null) {
            return targets.size() <= ADDRESSES_PER_ATTEMPT ? targets : targets.subList(0, ADDRESSES_PER_ATTEMPT);
        }
        boolean v4 = source.address() instanceof Inet4Address;
        List<RouteDecision.Target> out = new ArrayList<>(Math.min(targets.size(), ADDRESSES_PER_ATTEMPT));
        for (RouteDecision.Target t : targets) {
            if ((t.address().getAddress() instanceof Inet4Address) == v4 && out.size() < ADDRESSES_PER_ATTEMPT) {
                out.add(t);
            }
        }
        return out;
    }

    private EgressPath path(Source source, String site, ProviderRule rule, List<RouteDecision.Target> targets) {
        EgressPath p = paths.computeIfAbsent(source.name() + ">" + site,
                k -> new EgressPath(source, site, limits.throttle(source, rule), targets));
        p.targets = targets;
        return p;
    }

    /* The domain's route from the cache, or a lookup started (answered on this thread later). */
    private DomainRoute route(String domain, Instant now) {
        DomainRoute known = routes.get(domain);
        if (known != null && (known.pending() || now.isBefore(known.expires()))) {
            return known;
        }
        routes.put(domain, DomainRoute.PENDING);
        router.route(router.destinationKey(domain)).whenComplete((decision, error) -> {
            RouteDecision d = error != null
                    ? new RouteDecision.Unavailable(SmtpReply.of(451, "4.3.0", "internal routing error: " + error))
                    : decision;
            inbound.add((Runnable) () -> routes.put(domain, resolved(domain, d)));
            wake();
        });
        return DomainRoute.PENDING;
    }

    private DomainRoute resolved(String domain, RouteDecision decision) {
        Instant expires = clock.instant().plus(egress.routeTtl());
        if (decision instanceof RouteDecision.Targets t) {
            // the DNS TTL, within [MIN_ROUTE_TTL, route-ttl]: a TTL of 0 would mean a lookup per delivery
            long seconds = Math.max(MIN_ROUTE_TTL.toSeconds(), Math.min(t.ttlSeconds(), egress.routeTtl().toSeconds()));
            expires = clock.instant().plusSeconds(seconds);
            return new DomainRoute(decision, t.site(), rules.match(domain, t.mxHosts()), expires);
        }
        return new DomainRoute(decision, null, rules.fallback(), expires);
    }

    /* ================================================================ connections */

    private void pump(EgressPath path) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        if (path.isDown(now)) {
            deferReady(path, path.downReply(), path.downUntil());
            return;
        }
        ProviderRule rule = path.throttle.rule();
        while (path.readyCount.get() > 0) {
            // no more connections than ready deliveries: a connection takes several of one message
            int wanted = Math.min(rule.maxConnectionsPerPath(), path.readyCount.get());
            if (!path.tryOpenSlot(path.connections, wanted)) {
                return;
            }
            if (!path.throttle.tryOpenConnection(now)) { // the source's cap and the provider's total
                path.connections.decrementAndGet();
                return;
            }
            if (!path.throttle.tryConnect(System.nanoTime())) {
                path.connections.decrementAndGet();
                path.throttle.releaseConnection();
                return; // the scheduler tick pumps again
            }
            work.execute(() -> connect(path, path.targets, 0, null));
        }
    }

    /** Tries the targets in order (RFC 5321 §5.1: the next MX when one does not answer). */
    private void connect(EgressPath path, List<RouteDecision.Target> targets, int index, SmtpReply last) {
        if (index >= targets.size() || closed) {
            if (!closed) {
                rest(path, last == null ? SmtpReply.of(451, "4.4.4", "no address to try") : last);
            }
            release(path);
            return;
        }
        RouteDecision.Target target = targets.get(index);
        ProviderRule rule = path.throttle.rule();
        TlsMode tls = TlsMode.valueOf(rule.tls().toUpperCase(Locale.ROOT));
        Instant brokenUntil = brokenTls.get(target.address());
        boolean tlsKnownBroken = brokenUntil != null && clock.instant().isBefore(brokenUntil);
        if (tls == TlsMode.OPPORTUNISTIC && tlsKnownBroken) {
            tls = TlsMode.NONE; // this host's STARTTLS failed recently: in clear, as opportunistic TLS allows
        }
        ClientSettings cs = client.settings().withTls(tls);
        if (path.source.ehloName() != null) {
            cs = cs.withEhloName(path.source.ehloName());
        }
        boolean triedTls = tls == TlsMode.OPPORTUNISTIC;
        client.connect(target.address(), path.source.address(), cs).whenCompleteAsync((connection, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                SmtpReply reply = replyFor(cause, target);
                LOG.debug("{} via {}: {}", target.describe(), path.source.describe(), reply);
                if (triedTls && cause instanceof SmtpClientException e && e.kind() == SmtpClientException.Kind.TLS) {
                    brokenTls.put(target.address(), clock.instant().plus(egress.brokenTlsMemory()));
                    LOG.info("STARTTLS with {} failed; going there in clear for {}", target.describe(),
                            egress.brokenTlsMemory());
                    connect(path, targets, index, reply); // the same host again, without TLS
                    return;
                }
                connect(path, targets, index + 1, reply);
            } else {
                session(path, connection, target, 0);
            }
        }, work);
    }

    /** One transaction after another on an open connection, while the path has work. */
    private void session(EgressPath path, SmtpConnection connection, RouteDecision.Target target, int sent) {
        Instant now = clock.instant();
        ProviderRule rule = path.throttle.rule();
        boolean stop = closed || sent >= rule.maxDeliveriesPerConnection()
                || held(Suspensions.path(path.source.name(), path.site), now)
                || held(Suspensions.sourceProvider(path.source.name(), rule.name()), now);
        if (!stop && path.readyCount.get() > 0 && !path.throttle.tryMessage(System.nanoTime())) {
            // the message rate is spent at the moment of sending, so the receiver never sees a burst
            // look again within a second at most: a reload or an ended throttle may raise the rate
            long waitNanos = Math.min(1_000_000_000L,
                    Math.max(1_000_000L, path.throttle.waitMessageNanos(System.nanoTime())));
            paced.schedule(() -> work.execute(() -> session(path, connection, target, sent)), waitNanos,
                    TimeUnit.NANOSECONDS);
            return;
        }
        Delivery delivery = stop ? null : path.poll();
        if (delivery == null) {
            // the slot is free once the session has ended, so the receiver never sees one too many
            connection.quit().whenCompleteAsync((v, e) -> release(path), work);
            return;
        }
        wake(); // room on the ready queue
        // "no means no": a recipient suppressed after queueing is not sent (journaled final)
        if (outcomes.droppedAsSuppressed(delivery)) {
            warmup.giveBack(path.source, rule.name());
            session(path, connection, target, sent);
            return;
        }
        StoredMessage message;
        try {
            message = spool.read(delivery.id().message());
        } catch (SpoolException e) {
            LOG.warn("delivery {} skipped: message not readable from the spool: {}", delivery.id(), e.getMessage());
            warmup.giveBack(path.source, rule.name());
            session(path, connection, target, sent);
            return;
        }
        // the same body to the same site: one transaction, several RCPT — unless each recipient gets
        // its own return path (VERP) and header fields; each further recipient needs its share of the rate
        boolean alone = perDelivery.perRecipient(delivery.sender());
        int room = Math.min(RECIPIENTS_PER_TRANSACTION, rule.maxDeliveriesPerConnection() - sent);
        int allowed = 1;
        while (!alone && allowed < room && path.throttle.tryMessage(System.nanoTime())) {
            allowed++;
        }
        List<Delivery> batch = alone ? List.of(delivery)
                : withoutSuppressed(path, rule, path.withSameMessage(delivery, allowed));
        // per-delivery MAIL FROM (VERP) and header fields (trace, List-Unsubscribe), signed below
        DeliveryHeaders.Outbound outbound = perDelivery.personalise(delivery.id(), delivery.sender(),
                delivery.recipient(), message.envelope().attributes(), message.body());
        // sign late, here on a worker thread: the DKIM-Signature fields go out before the spooled bytes
        byte[] signatures = dkim.signatures(message.id().value(), message.body(), message.envelope().attributes(),
                clock.instant(), outbound.headers());
        Transaction transaction = new Transaction(outbound.sender(),
                batch.stream().map(Delivery::recipient).toList(), concat(signatures, outbound.headers()),
                message.body());
        connection.send(transaction).whenCompleteAsync((result, error) -> {
            if (error != null) {
                SmtpReply reply = replyFor(unwrap(error), target);
                for (Delivery d : batch) {
                    finish(path, d.nextAttempt(), target, reply);
                }
                if (reply.code() == 421) {
                    rest(path, reply); // RFC 5321 §3.8: the rest of this connection's work is deferred
                }
                if (connection.isOpen()) {
                    connection.quit().whenCompleteAsync((v, e) -> release(path), work);
                } else {
                    release(path);
                }
                return;
            }
            for (Delivery d : batch) {
                SmtpReply reply = result.replyFor(d.recipient());
                finish(path, d.nextAttempt(), target,
                        reply != null ? reply : SmtpReply.of(451, "4.4.0", "no reply for recipient"));
            }
            if (connection.isOpen()) {
                session(path, connection, target, sent + batch.size());
            } else {
                release(path);
            }
        }, work);
    }

    /** The batch less recipients suppressed since queueing (the first was checked already). */
    private List<Delivery> withoutSuppressed(EgressPath path, ProviderRule rule, List<Delivery> batch) {
        if (batch.size() == 1) {
            return batch;
        }
        List<Delivery> kept = new java.util.ArrayList<>(batch.size());
        kept.add(batch.get(0));
        for (Delivery d : batch.subList(1, batch.size())) {
            if (!outcomes.droppedAsSuppressed(d)) {
                kept.add(d);
            }
        }
        return kept;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /* Records the outcome of one attempt, after letting the reply rules act on it. */
    private void finish(EgressPath path, Delivery attempt, RouteDecision.Target target, SmtpReply reply) {
        String provider = path.provider();
        if (!reply.isPositive()) {
            warmup.giveBack(path.source, provider);
            Backoff.Triggered t = backoff.onReply(rules, reply, provider, path.source.name(), path.site,
                    attempt.attributes().getOrDefault("tenant", QueueKey.DEFAULT), clock.instant());
            if (t != null) {
                reply = act(t, path, reply);
            }
        }
        retry(outcomes.record(attempt, router.destinationKey(attempt.domain()), target.describe(), reply, null,
                path.source.address() == null ? null : path.source.describe(), provider));
    }

    /* Applies a triggered reply rule; returns the reply to record (a bounce rule makes it permanent). */
    private SmtpReply act(Backoff.Triggered t, EgressPath path, SmtpReply reply) {
        ReplyRule rule = t.rule();
        Instant now = clock.instant();
        Instant until = now.plus(rule.duration());
        switch (rule.action()) {
            case BOUNCE -> {
                String enhanced = reply.enhancedCode() == null ? "5.0.0" : "5" + reply.enhancedCode().substring(1);
                return SmtpReply.of(reply.isPermanent() ? reply.code() : 550, enhanced, reply.text());
            }
            case THROTTLE -> {
                path.throttle.throttle(rule.factor(), until);
                publishShaping("Throttle", t.scope(), path.provider(), rule.name(), reply, until);
            }
            default -> {
                suspensions.suspend(t.scope(), new Suspensions.Hold(until, rule.name(), reply.toString()));
                publishShaping("Suspension", t.scope(), path.provider(), rule.name(), reply, until);
                requeueReady(path);
            }
        }
        return reply;
    }

    private void publishShaping(String type, String scope, String provider, String rule, SmtpReply reply,
                                Instant until) {
        LOG.info("{} of {} by {}{}{}", type, scope, rule, until == null ? "" : " until " + until,
                reply == null ? "" : ": " + reply);
        events.publish(Event.shaping(type, clock.instant(), scope, provider, rule,
                reply == null ? null : Response.of(reply), until));
    }

    /* A suspended path's ready deliveries go back to wait in their scheduled queues (not an attempt). */
    private void requeueReady(EgressPath path) {
        Delivery d;
        while ((d = path.poll()) != null) {
            warmup.giveBack(path.source, path.provider());
            Delivery back = d;
            inbound.add(new Timed(back, Long.MIN_VALUE));
        }
        wake();
    }

    /** Defers everything ready on the path and leaves the path alone for a while. */
    private void rest(EgressPath path, SmtpReply reply) {
        Instant until = clock.instant().plus(downFor);
        path.markDown(until, reply);
        deferReady(path, reply, until);
    }

    private void deferReady(EgressPath path, SmtpReply reply, Instant until) {
        Delivery queued;
        while ((queued = path.poll()) != null) {
            warmup.giveBack(path.source, path.provider());
            retry(outcomes.record(queued.nextAttempt(), router.destinationKey(queued.domain()), null, reply, until));
        }
    }

    private void retry(DeliveryOutcomes.Next next) {
        if (next instanceof DeliveryOutcomes.Next.RetryAt r) {
            submitAt(r.delivery(), r.due());
        }
    }

    private void release(EgressPath path) {
        path.connections.decrementAndGet();
        path.throttle.releaseConnection();
        if (path.readyCount.get() > 0) {
            pump(path);
        }
        wake();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** A reply standing for a failure that produced none (connection refused, timeout, TLS). */
    private static SmtpReply replyFor(Throwable error, RouteDecision.Target target) {
        if (error instanceof SmtpClientException e) {
            if (e.reply() != null) {
                return e.reply();
            }
            String what = switch (e.kind()) {
                case CONNECT -> "connect to " + target.describe() + " failed";
                case TLS -> "TLS with " + target.describe() + " failed";
                case TIMEOUT -> "timeout talking to " + target.describe();
                case CLOSED -> "connection to " + target.describe() + " closed";
                default -> "protocol error with " + target.describe();
            };
            return SmtpReply.of(451, "4.4.1", what + ": " + e.getMessage());
        }
        return SmtpReply.of(451, "4.4.1", "delivery to " + target.describe() + " failed: " + error);
    }

    /* ================================================================ operator view and control */

    Suspensions suspensions() {
        return suspensions;
    }

    WarmupBudgets warmup() {
        return warmup;
    }

    EgressPlan plan() {
        return plan;
    }

    ShapingRules rules() {
        return rules;
    }

    FairQueues<Delivery> queues() {
        return queues;
    }

    TimerWheel<Delivery> wheel() {
        return wheel;
    }

    Map<String, DomainRoute> routes() {
        return routes;
    }

    Map<String, EgressPath> paths() {
        return paths;
    }

    Clock clock() {
        return clock;
    }

    /** Suspends a scope by an operator's hand (admin API); ready deliveries of a path go back to wait. */
    void suspendByOperator(String scope, Instant until) {
        hold(scope, until);
        shared.holds().suspended(scope, until);
    }

    private void hold(String scope, Instant until) {
        suspensions.suspend(scope, new Suspensions.Hold(until, "admin", "suspended by an operator"));
        publishShaping("Suspension", scope, null, "admin", null, until);
        if (scope.startsWith("path:")) {
            EgressPath p = paths.get(scope.substring(5));
            if (p != null) {
                requeueReady(p);
            }
        }
    }

    boolean resumeByOperator(String scope) {
        boolean was = release(scope);
        shared.holds().resumed(scope);
        return was;
    }

    private boolean release(String scope) {
        boolean was = suspensions.resume(scope);
        if (was) {
            publishShaping("Resumption", scope, null, "admin", null, null);
            wake();
        }
        return was;
    }

    /**
     * Re-reads the egress file and the rules file. All or nothing: a file that cannot be used
     * throws a ConfigException and the running configuration stays. Queued mail is kept: ready
     * deliveries go back to their scheduled queues and are placed again under the new rules.
     */
    public void reload() {
        EgressPlan freshPlan = EgressPlan.load(path(egress.file()));
        ShapingRules freshRules = ShapingRules.load(baseRule, path(egress.rulesFile())).validated();
        onScheduler(d -> {
            plan = freshPlan;
            rules = freshRules;
            warmup.replacePlan(freshPlan);
            routes.clear();
            limits.reload(freshPlan, freshRules);
            for (EgressPath p : new ArrayList<>(paths.values())) {
                Delivery x;
                while ((x = p.poll()) != null) {
                    warmup.giveBack(p.source, p.provider());
                    enqueue(x);
                }
                if (p.connections.get() == 0) {
                    paths.remove(p.key, p);
                }
            }
            return null;
        });
        LOG.info("egress configuration reloaded: {} pools, {} provider rules, {} reply rules",
                freshPlan.pools().size(), freshRules.providers().size(), freshRules.replies().size());
    }


    @PreDestroy
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(scheduler);
        try {
            scheduler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        warmup.persist();
        paced.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
