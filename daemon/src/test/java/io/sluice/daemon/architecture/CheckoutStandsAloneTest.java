package io.sluice.daemon.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clone of the project alone must build and pass its tests: no test, pom or script may read a
 * directory beside or above the checkout (the test material lives in {@code testdata/}, the DKIM
 * verifier wrappers in {@code scripts/dkim-verify/}).
 */
class CheckoutStandsAloneTest {

    /** File kinds that run or configure the build; prose (Markdown) may mention outside tools. */
    private static final Set<String> CHECKED = Set.of(".java", ".xml", ".sh", ".py", ".yml", ".yaml", ".properties");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "var", "testdata", "node_modules");

    /**
     * A path that climbs out of the checkout: to a sibling "shared" directory, from the
     * multi-module root upwards, or two levels up from a module directory (the tests' working
     * directory). Built from pieces so this file does not match itself.
     */
    private static final Pattern OUTSIDE = Pattern.compile(String.join("|",
            Pattern.quote(".." + "/shared"),
            Pattern.quote("shared" + "/corpora"),
            Pattern.quote("shared" + "/tools"),
            Pattern.quote("sluice" + ".shared"),
            Pattern.quote("multiModuleProjectDirectory" + "}/.."),
            "\"\\.\\./\\.\\.(/|\")"));

    static Path checkout() {
        return Path.of(System.getProperty("sluice.repo", "..")).toAbsolutePath().normalize();
    }

    @Test
    void noFileOfTheBuildReadsOutsideTheCheckout() throws IOException {
        Path root = checkout();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")), "checkout root not found at " + root);
        List<String> offenders = scan(root);
        assertEquals(List.of(), offenders, "files that refer to a directory outside the checkout");
    }

    @Test
    void theTestMaterialIsInTheCheckout() {
        Path root = checkout();
        for (String p : List.of("testdata/corpora/bounces/expected.tsv", "testdata/corpora/bounces/LICENSE.set-of-emails",
                "testdata/corpora/arf/LICENSE.set-of-emails", "testdata/corpora/dkim/vectors/README.md",
                "scripts/dkim-verify/verify-dkimpy.sh", "scripts/dkim-verify/verify-opendkim.sh")) {
            assertTrue(Files.isRegularFile(root.resolve(p)), p + " is missing from the checkout");
        }
    }

    @Test
    void theScanFindsEachKindOfOutsideReference(@TempDir Path dir) throws IOException {
        // built from pieces, like the pattern, so this file names no outside path itself
        String up = "..";
        String sibling = up + "/" + "shared";
        Files.writeString(dir.resolve("pom.xml"), "<p>${maven.multiModuleProjectDirectory}/" + up + "/x</p>");
        Files.createDirectories(dir.resolve("m/src"));
        Files.writeString(dir.resolve("m/src/A.java"), "Path.of(\"" + up + "/" + up + "/elsewhere\", \"x\");");
        Files.writeString(dir.resolve("m/src/B.java"), "Path.of(\"..\", \"testdata\");");
        Files.writeString(dir.resolve("run.sh"), "cat " + sibling + "/tools/x.sh");
        Files.writeString(dir.resolve("notes.md"), "see " + sibling + "/tools/peers");
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/C.java"), "\"" + up + "/" + sibling + "\"");
        assertEquals(List.of("m/src/A.java:1", "pom.xml:1", "run.sh:1"), scan(dir));
    }

    private static List<String> scan(Path root) throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !inSkippedDir(root.relativize(f)))
                    .filter(CheckoutStandsAloneTest::isChecked)
                    .sorted()
                    .forEach(f -> {
                        List<String> lines = lines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            if (OUTSIDE.matcher(lines.get(i)).find()) {
                                hits.add(root.relativize(f).toString().replace('\\', '/') + ":" + (i + 1));
                            }
                        }
                    });
        }
        return hits;
    }

    private static boolean inSkippedDir(Path rel) {
        for (Path part : rel) {
            if (SKIPPED_DIRS.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isChecked(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // bin/ holds extension-less launcher scripts
        return (dot >= 0 && CHECKED.contains(name.substring(dot))) || f.getParent().getFileName().toString().equals("bin");
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
