package io.sluice.protocol.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Finds the binaries the tests talk to. */
public final class ExternalTool {
    /* Which Debian package installs each tool (scripts/install-test-deps.sh installs them all). */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("smtp-sink", "postfix"),
            Map.entry("smtp-source", "postfix"),
            Map.entry("dnsmasq", "dnsmasq-base"),
            Map.entry("swaks", "swaks"),
            Map.entry("opendkim", "opendkim"),
            Map.entry("opendkim-genkey", "opendkim-tools"),
            Map.entry("systemd-analyze", "systemd"),
            Map.entry("ss", "iproute2"),
            Map.entry("redis-server", "redis-server"),
            Map.entry("knotd", "knot"),
            Map.entry("ldns-keygen", "ldnsutils"),
            Map.entry("ldns-signzone", "ldnsutils"),
            Map.entry("unbound", "unbound"));

    private ExternalTool() {
    }

    /**
     * The tool's path, searched in PATH, /usr/sbin and /sbin. When missing: with {@code CI=true}
     * the test fails with an {@link AssertionError} naming the package; elsewhere it is aborted
     * (skipped) with the same hint.
     */
    public static Path require(String name) {
        Path found = find(name);
        if (found != null) {
            return found;
        }
        String pkg = PACKAGES.getOrDefault(name, name);
        String message = name + " not installed (Debian package " + pkg + "); run scripts/install-test-deps.sh";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The tool's path, or null. */
    public static Path find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
