package io.sluice.bench.inject;

import io.sluice.bench.Durations;
import io.sluice.bench.UserError;
import io.sluice.bench.measure.Sizes;
import io.sluice.bench.measure.WeightedChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Option;

/** The load shape, shared by {@code inject} and {@code run}. */
public final class InjectOptions {
    @Option(names = {"-c", "--connections"}, description = "concurrent SMTP sessions or HTTP requests (default ${DEFAULT-VALUE})", defaultValue = "10")
    public int connections;

    @Option(names = "--rate", description = "target messages per second over all connections (default: as fast as possible)")
    public Double rate;

    @Option(names = {"-n", "--count"}, description = "messages to send")
    public Long count;

    @Option(names = "--duration", description = "send for this long instead of a count (e.g. 30s, 5m)")
    public String duration;

    @Option(names = "--size", description = "message size or weighted sizes, e.g. 2KB or 2KB:70,20KB:25,100KB:5 (default ${DEFAULT-VALUE})", defaultValue = "2KB")
    public String size;

    @Option(names = "--domain", description = "recipient domain with a weight, repeatable: --domain gmail.test:60 --domain yahoo.test:40 (default sink.test:1)")
    public List<String> domains = new ArrayList<>();

    @Option(names = "--recipients", description = "recipients per message (default ${DEFAULT-VALUE})", defaultValue = "1")
    public int recipients;

    @Option(names = "--header", description = "extra header line, repeatable, e.g. --header 'X-Campaign: spring'")
    public List<String> headers = new ArrayList<>();

    @Option(names = "--from", description = "envelope sender and From: address (default ${DEFAULT-VALUE})", defaultValue = "bench@bench.test")
    public String from;

    @Option(names = "--starttls", description = "use STARTTLS (certificate not verified)")
    public boolean startTls;

    @Option(names = "--auth", description = "AUTH PLAIN as user:password")
    public String auth;

    @Option(names = "--ehlo", description = "EHLO name (default ${DEFAULT-VALUE})", defaultValue = "bench.localhost")
    public String ehlo;

    @Option(names = "--messages-per-connection", description = "renew the SMTP connection after this many messages (default 0 = never)", defaultValue = "0")
    public int messagesPerConnection;

    @Option(names = "--io-threads", description = "Netty event-loop threads of the injector (default ${DEFAULT-VALUE})", defaultValue = "1")
    public int ioThreads;

    @Option(names = "--timeout", description = "give up waiting for replies after this long beyond the plan (default ${DEFAULT-VALUE})", defaultValue = "10m")
    public String timeout;

    /** Checks values a plan cannot run with; one-line messages. */
    public InjectPlan plan() {
        if (connections < 1 || connections > 10_000) {
            throw new UserError("--connections must be between 1 and 10000");
        }
        if (rate != null && !(rate > 0)) {
            throw new UserError("--rate must be greater than 0 (leave it out for as fast as possible)");
        }
        if (count == null && duration == null) {
            throw new UserError("give --count N or --duration D");
        }
        if (count != null && count <= 0) {
            throw new UserError("--count must be greater than 0");
        }
        if (recipients < 1 || recipients > 1000) {
            throw new UserError("--recipients must be between 1 and 1000");
        }
        long d = duration == null ? 0 : Durations.parse(duration).toNanos();
        if (duration != null && d <= 0) {
            throw new UserError("--duration must be greater than 0");
        }
        return new InjectPlan(count == null ? 0 : count, d, rate == null ? 0 : rate);
    }

    public MessageFactory messages(String runId) {
        WeightedChoice<Integer> sizes;
        try {
            sizes = Sizes.distribution(size);
        } catch (IllegalArgumentException e) {
            throw new UserError("--size: " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String d : domains.isEmpty() ? List.of("sink.test:1") : domains) {
            String[] dw = d.split(":");
            try {
                names.add(dw[0].trim());
                weights.add(dw.length > 1 ? Integer.parseInt(dw[1].trim()) : 1);
            } catch (NumberFormatException e) {
                throw new UserError("--domain " + d + ": the weight must be a whole number, e.g. gmail.test:60");
            }
        }
        for (String h : headers) {
            if (!h.matches("[!-9;-~]+:.*") || h.contains("\r") || h.contains("\n")) {
                throw new UserError("--header '" + h + "' is not a header line 'Name: value'");
            }
        }
        try {
            return new MessageFactory(runId, from, WeightedChoice.of(names, weights), sizes, recipients, headers);
        } catch (IllegalArgumentException e) {
            throw new UserError("--domain: " + e.getMessage());
        }
    }

    public static String newRunId() {
        return "r" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String authUser() {
        return auth == null ? null : auth.substring(0, auth.indexOf(':') < 0 ? auth.length() : auth.indexOf(':'));
    }

    public String authPassword() {
        return auth == null || auth.indexOf(':') < 0 ? "" : auth.substring(auth.indexOf(':') + 1);
    }
}
