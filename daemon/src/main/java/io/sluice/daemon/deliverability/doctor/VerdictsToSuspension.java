package io.sluice.daemon.deliverability.doctor;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.sluice.daemon.config.Environments;
import io.sluice.daemon.egress.breaker.SourceSuspension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hands each change of a source's verdict to the circuit breaker's source suspension, which acts
 * only when the operator opted in ({@code sluice.breaker.suspend-sources}) and never takes more
 * than half of a pool out. A warning is no failure: it goes in as unknown, which never acts.
 */
@Context
@Requires(notEnv = Environments.CHECK_CONFIG)
final class VerdictsToSuspension {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictsToSuspension.class);

    VerdictsToSuspension(SourceVerdicts verdicts, SourceSuspension suspension) {
        verdicts.onChange(v -> {
            try {
                suspension.verdict(InetAddress.getByName(v.address()), v.check(), switch (v.verdict()) {
                    case PASS -> SourceSuspension.Verdict.PASS;
                    case FAIL -> SourceSuspension.Verdict.FAIL;
                    case WARN, UNKNOWN -> SourceSuspension.Verdict.UNKNOWN;
                }, v.detail());
            } catch (UnknownHostException e) {
                LOG.warn("source verdict for {} not acted on: {}", v.address(), e.getMessage());
            }
        });
    }
}
