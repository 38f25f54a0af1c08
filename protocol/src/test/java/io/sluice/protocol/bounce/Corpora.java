package io.sluice.protocol.bounce;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the test corpora in the checkout ({@code testdata/corpora}; the {@code sluice.repo} system
 * property names the checkout root, the module directory's parent by default). They are part of
 * the repository, so a missing directory is a broken checkout and fails the test.
 */
public final class Corpora {

    private Corpora() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("sluice.repo", ".."), "testdata", "corpora").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new AssertionError("test corpora not found at " + p + " (testdata/corpora in the checkout)");
        }
        return p;
    }
}
