package io.sluice.bench.inject;

import io.sluice.bench.UserError;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Inject messages over SMTP or the HTTP API at a set rate (or as fast as possible).")
public final class InjectCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--smtp", description = "SMTP server host:port", required = true)
        String smtp;

        @Option(names = "--http", description = "HTTP API base or endpoint URL, e.g. http://127.0.0.1:8025", required = true)
        String http;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--http-authorization", description = "Authorization header value for the HTTP API")
    String httpAuthorization;

    @Option(names = "--run-id", description = "prefix of X-Sluice-Bench-Id (default: random)")
    String runId;

    @Mixin
    InjectOptions options;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Injection injection = new Injection(options, runId != null ? runId : InjectOptions.newRunId());
        long t0 = System.nanoTime();
        try (Progress p = new Progress(injection.stats(), injection.plan().expected(), out, Progress.stdoutIsTerminal(), null)) {
            if (target.smtp != null) {
                InetSocketAddress a = Targets.hostPort(target.smtp, "--smtp");
                Targets.reachable(a.getHostString(), a.getPort(), "the SMTP server");
                injection.viaSmtp(a.getHostString(), a.getPort());
            } else {
                URI u = Targets.httpEndpoint(target.http);
                Targets.reachable(u.getHost(), u.getPort() < 0 ? 80 : u.getPort(), "the HTTP API");
                injection.viaHttp(u, httpAuthorization);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.println(injection.summary(secs));
        InjectStats s = injection.stats();
        if (s.accepted.get() == 0 && s.errors.get() > 0) {
            throw new UserError("no message accepted; last error: " + s.lastError());
        }
        return 0;
    }
}
