package io.sluice.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code check-config} says of a YAML file, as the config tests ask it. */
final class ConfigProblems {
    private ConfigProblems() {
    }

    /** Writes {@code yaml} to {@code dir/sluice.yml} and checks it; the config file property is cleared after. */
    static List<String> of(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("sluice.yml");
        Files.writeString(file, yaml);
        System.setProperty("micronaut.config.files", file.toString());
        try {
            return ConfigCheck.problems();
        } finally {
            System.clearProperty("micronaut.config.files");
        }
    }
}
