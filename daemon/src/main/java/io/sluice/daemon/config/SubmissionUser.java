package io.sluice.daemon.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/**
 * One account on the submission port: {@code sluice.submission.users.<name>.password-hash}
 * (bcrypt, {@code $2a$}/{@code $2b$}/{@code $2y$}, e.g. from {@code htpasswd -nbBC 12 user pw}),
 * {@code .tenant}, {@code .pools}. The user name is the key.
 */
@EachProperty("sluice.submission.users")
public record SubmissionUser(@Parameter String name,
                             @NotBlank String passwordHash,
                             @Bindable(defaultValue = "default") String tenant,
                             @Bindable(defaultValue = "") List<String> pools) {
}
