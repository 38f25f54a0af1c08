package io.sluice.bench.sink;

import java.util.Locale;

/** What a provider answers when a sender goes over its rate, as seen in the wild. */
public enum ProviderReplies {
    GMAIL("421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address."
            + " To protect our users from spam, mail sent from your IP address has been temporarily rate limited."),
    YAHOO("421 4.7.0 [TSS04] Messages from %s temporarily deferred due to unexpected volume or user complaints"
            + " - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
    MICROSOFT("451 4.7.500 Server busy. Please try again later from [%s]. (S77714)"),
    GENERIC("421 4.7.0 Rate limit exceeded for %s, try again later");

    private final String template;

    ProviderReplies(String template) {
        this.template = template;
    }

    public String reply(String sourceIp) {
        return template.contains("%s") ? String.format(template, sourceIp) : template;
    }

    public static ProviderReplies named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown provider '" + name + "' (gmail, yahoo, microsoft, generic)");
        }
    }
}
