package io.sluice.protocol.bounce;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/corpora} beside the repository: {@code ../../shared/corpora} from the module
 * directory (surefire's working directory). Missing corpora skip the test locally and fail it when
 * {@code CI=true}, as the real-peer tests in {@code io.sluice.protocol.testing} do.
 */
public final class Corpora {

    private Corpora() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("sluice.shared", "../../shared"), "corpora").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("corpora not found at " + p);
            }
            Assumptions.abort("corpora not found at " + p);
        }
        return p;
    }
}
