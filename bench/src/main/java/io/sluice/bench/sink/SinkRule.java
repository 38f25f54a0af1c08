package io.sluice.bench.sink;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line of a sink script: what to answer for recipients of a domain (or on a listener).
 * Outcomes are dealt deterministically and interleaved (smooth weighted round robin): of every
 * 100 recipients the rule sees, exactly {@code permfail} get the permanent reply and
 * {@code tempfail} the temporary one, the rest are accepted. So counts are exact and tests need
 * no randomness.
 *
 * <p>Syntax: {@code MATCH:key=value;key=value} where MATCH is {@code *}, a domain, or
 * {@code port=N}; keys: {@code tempfail}, {@code permfail} (percent), {@code temp-reply},
 * {@code perm-reply} (full reply line), {@code latency} (ms before the DATA reply), {@code rate}
 * (accepted recipients per second for this rule, over all connections), {@code provider}
 * (whose rate-limit reply: gmail, yahoo, microsoft, generic), {@code max-conns} (per listener),
 * {@code complain} (percent of accepted recipients that complain: an ARF report to the sink's
 * {@code --feedback-to}, dealt as exactly as the failures).
 */
public final class SinkRule {
    final String match;
    final int tempfailPct;
    final int permfailPct;
    final String tempReply;
    final String permReply;
    final long latencyMs;
    final int ratePerSecond;
    final ProviderReplies provider;
    final int maxConnections;
    final int complainPct;
    private final AtomicLong dealt = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final io.sluice.bench.measure.WeightedChoice<Boolean> complaints;
    private final io.sluice.bench.measure.WeightedChoice<Integer> outcomes;
    private long windowSecond = -1;
    private int windowCount;

    SinkRule(String match, int tempfailPct, int permfailPct, String tempReply, String permReply, long latencyMs,
            int ratePerSecond, ProviderReplies provider, int maxConnections) {
        this(match, tempfailPct, permfailPct, tempReply, permReply, latencyMs, ratePerSecond, provider, maxConnections, 0);
    }

    SinkRule(String match, int tempfailPct, int permfailPct, String tempReply, String permReply, long latencyMs,
            int ratePerSecond, ProviderReplies provider, int maxConnections, int complainPct) {
        if (tempfailPct < 0 || permfailPct < 0 || tempfailPct + permfailPct > 100) {
            throw new IllegalArgumentException("tempfail + permfail must be between 0 and 100 for " + match);
        }
        if (complainPct < 0 || complainPct > 100) {
            throw new IllegalArgumentException("complain must be between 0 and 100 for " + match);
        }
        this.complainPct = complainPct;
        this.complaints = io.sluice.bench.measure.WeightedChoice.of(java.util.List.of(true, false),
                java.util.List.of(complainPct, 100 - complainPct));
        this.match = match;
        this.tempfailPct = tempfailPct;
        this.permfailPct = permfailPct;
        this.tempReply = checkReply(tempReply, '4');
        this.permReply = checkReply(permReply, '5');
        this.latencyMs = latencyMs;
        this.ratePerSecond = ratePerSecond;
        this.provider = provider;
        this.maxConnections = maxConnections;
        // 0 = permfail, 1 = tempfail, 2 = accept; interleaved, exact over every 100 recipients
        this.outcomes = io.sluice.bench.measure.WeightedChoice.of(java.util.List.of(0, 1, 2),
                java.util.List.of(permfailPct, tempfailPct, 100 - permfailPct - tempfailPct));
    }

    public static SinkRule acceptAll(String match) {
        return new SinkRule(match, 0, 0, null, null, 0, 0, ProviderReplies.GENERIC, 0);
    }

    public static SinkRule parse(String spec) {
        int colon = spec.startsWith("port=") ? spec.indexOf(':', 5) : spec.indexOf(':');
        String match = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("sink script '" + spec + "': empty match (use *, a domain or port=N)");
        }
        int temp = 0, perm = 0, rate = 0, maxConns = 0, complain = 0;
        long latency = 0;
        String tempReply = null, permReply = null;
        ProviderReplies provider = ProviderReplies.GENERIC;
        if (colon >= 0) {
            for (String kv : spec.substring(colon + 1).split(";")) {
                if (kv.isBlank()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("sink script '" + spec + "': '" + kv + "' is not key=value");
                }
                String k = kv.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String v = kv.substring(eq + 1).trim();
                try {
                    switch (k) {
                        case "tempfail" -> temp = Integer.parseInt(v.replace("%", ""));
                        case "permfail" -> perm = Integer.parseInt(v.replace("%", ""));
                        case "temp-reply" -> tempReply = v;
                        case "perm-reply" -> permReply = v;
                        case "latency" -> latency = Long.parseLong(v.replace("ms", ""));
                        case "rate" -> rate = Integer.parseInt(v.replace("/s", ""));
                        case "provider" -> provider = ProviderReplies.named(v);
                        case "max-conns" -> maxConns = Integer.parseInt(v);
                        case "complain" -> complain = Integer.parseInt(v.replace("%", ""));
                        default -> throw new IllegalArgumentException("sink script '" + spec + "': unknown key '" + k
                                + "' (tempfail, permfail, temp-reply, perm-reply, latency, rate, provider, max-conns, complain)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("sink script '" + spec + "': '" + v + "' is not a number for " + k);
                }
            }
        }
        return new SinkRule(match, temp, perm, tempReply, permReply, latency, rate, provider, maxConns, complain);
    }

    private static String checkReply(String reply, char first) {
        if (reply == null) {
            return null;
        }
        if (reply.length() < 4 || reply.charAt(0) != first || !Character.isDigit(reply.charAt(1))
                || !Character.isDigit(reply.charAt(2)) || reply.charAt(3) != ' ') {
            throw new IllegalArgumentException("reply '" + reply + "' must start with a " + first + "xx code and a space");
        }
        return reply;
    }

    /** The outcome for the next recipient: null to accept, else the reply line to send. */
    String deal(String sourceIp) {
        int outcome = outcomes.pick(dealt.getAndIncrement());
        if (outcome == 0) {
            return permReply != null ? permReply : "550 5.1.1 The email account that you tried to reach does not exist";
        }
        if (outcome == 1) {
            return tempReply != null ? tempReply : "451 4.3.0 Temporary failure, please try again later";
        }
        return null;
    }

    /** For an accepted recipient: true when it complains (exactly {@code complain} of every 100). */
    boolean dealComplaint() {
        return complainPct > 0 && complaints.pick(accepted.getAndIncrement());
    }

    /** True when one more recipient fits in this second's budget (and takes it). */
    synchronized boolean withinRate(long nowMillis) {
        if (ratePerSecond <= 0) {
            return true;
        }
        long s = nowMillis / 1000;
        if (s != windowSecond) {
            windowSecond = s;
            windowCount = 0;
        }
        if (windowCount >= ratePerSecond) {
            return false;
        }
        windowCount++;
        return true;
    }

    public String match() {
        return match;
    }
}
