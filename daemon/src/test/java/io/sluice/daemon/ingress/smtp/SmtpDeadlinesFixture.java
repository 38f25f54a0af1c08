package io.sluice.daemon.ingress.smtp;

import io.sluice.daemon.config.SmtpDeadlineSettings;

import java.time.Clock;
import java.time.Duration;

/** Session deadlines for tests of the SMTP commands. */
final class SmtpDeadlinesFixture {
    private SmtpDeadlinesFixture() {
    }

    /** Deadlines no test reaches. */
    static SessionDeadlines lenient() {
        return of(Duration.ofHours(1), Duration.ofHours(1), 10L * 1024 * 1024);
    }

    static SessionDeadlines of(Duration data, Duration session, long drainOctets) {
        return new SessionDeadlines(new SmtpDeadlineSettings(data, session, drainOctets, Duration.ofSeconds(30)),
                Clock.systemUTC(), "test");
    }
}
