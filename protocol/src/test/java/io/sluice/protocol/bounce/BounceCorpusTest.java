package io.sluice.protocol.bounce;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser and the bundled rules against Sisimai's labelled bounces
 * ({@code testdata/corpora/bounces/expected.tsv}): hard-vs-soft agreement on every row, and the
 * Sisimai reason on the rows where two Sisimai versions agree. Prints the confusion table.
 */
class BounceCorpusTest {

    private static final double HARD_THRESHOLD = 0.95;
    private static final double REASON_THRESHOLD = 0.85;

    private final BounceParser parser = new BounceParser();

    @Test
    void agreesWithSisimaiOnHardnessAndReason() throws IOException {
        Path dir = Corpora.root().resolve("bounces");
        List<String> lines = Files.readAllLines(dir.resolve("expected.tsv"));
        String[] header = lines.get(0).split("\t", -1);
        int file = col(header, "file");
        int index = col(header, "recipient_index");
        int reason = col(header, "expected_reason");
        int hard = col(header, "hardbounce");
        int agree = col(header, "versions_agree");

        Map<String, BounceReport> reports = new HashMap<>();
        int rows = 0;
        int hardOk = 0;
        int reasonRows = 0;
        int reasonOk = 0;
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            BounceReport report = reports.computeIfAbsent(f[file], name -> parse(dir.resolve(name)));
            int i = Integer.parseInt(f[index]) - 1;
            BouncedRecipient got = i < report.recipients().size() ? report.recipients().get(i) : null;
            String ourReason = got == null ? "(missing)" : got.classification().reason();
            boolean ourHard = got != null && report.isBounce() && got.classification().hard();
            rows++;
            if (ourHard == Boolean.parseBoolean(f[hard])) {
                hardOk++;
            }
            if (f[agree].equals("yes")) {
                reasonRows++;
                if (ourReason.equals(f[reason])) {
                    reasonOk++;
                }
                confusion.computeIfAbsent(f[reason], k -> new TreeMap<>()).merge(ourReason, 1, Integer::sum);
            }
        }
        double hardShare = (double) hardOk / rows;
        double reasonShare = (double) reasonOk / reasonRows;
        printConfusion(confusion);
        System.out.printf("hard/soft agreement: %d/%d = %.1f%% (threshold %.0f%%)%n", hardOk, rows, 100 * hardShare, 100 * HARD_THRESHOLD);
        System.out.printf("reason agreement (versions_agree=yes): %d/%d = %.1f%% (threshold %.0f%%)%n",
                reasonOk, reasonRows, 100 * reasonShare, 100 * REASON_THRESHOLD);
        assertTrue(hardShare >= HARD_THRESHOLD, "hard/soft agreement " + hardShare);
        assertTrue(reasonShare >= REASON_THRESHOLD, "reason agreement " + reasonShare);
    }

    @Test
    void notBouncesAreIgnored() throws IOException {
        try (Stream<Path> files = Files.list(Corpora.root().resolve("bounces/not-bounce"))) {
            for (Path p : files.sorted().toList()) {
                BounceReport r = parse(p);
                assertEquals(BounceReport.Kind.NOT_BOUNCE, r.kind(), p.toString());
                assertTrue(r.recipients().isEmpty(), p.toString());
            }
        }
    }

    @Test
    void autoRepliesAreRecognisedAsSuch() throws IOException {
        try (Stream<Path> files = Files.list(Corpora.root().resolve("bounces/eml"))) {
            List<Path> replies = files.filter(p -> p.getFileName().toString().startsWith("rfc3834-")).sorted().toList();
            assertTrue(!replies.isEmpty());
            for (Path p : replies) {
                BounceReport r = parse(p);
                assertEquals(BounceReport.Kind.AUTO_REPLY, r.kind(), p.toString());
                assertEquals("vacation", r.recipients().get(0).classification().reason());
            }
        }
    }

    @Test
    void embeddedOriginalHeadersAreReturned() throws IOException {
        Path dir = Corpora.root().resolve("bounces/eml");
        int withOriginal = 0;
        int found = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String raw = Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (raw.toLowerCase().contains("content-type: message/rfc822") || raw.toLowerCase().contains("text/rfc822-headers")) {
                    withOriginal++;
                    BounceReport r = parse(p);
                    if (r.originalHeaders().length > 0) {
                        found++;
                    }
                }
            }
        }
        System.out.printf("original headers found in %d of %d bounces that embed the original%n", found, withOriginal);
        assertTrue(found >= withOriginal * 0.95, found + " of " + withOriginal);
    }

    private BounceReport parse(Path p) {
        try {
            return parser.parse(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int col(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new AssertionError("expected.tsv lacks column " + name);
    }

    private static void printConfusion(Map<String, Map<String, Integer>> confusion) {
        TreeSet<String> ours = new TreeSet<>();
        confusion.values().forEach(m -> ours.addAll(m.keySet()));
        System.out.println("confusion (rows: Sisimai expected_reason; entries: our reason=count)");
        for (Map.Entry<String, Map<String, Integer>> e : confusion.entrySet()) {
            List<String> cells = new ArrayList<>();
            e.getValue().entrySet().stream()
                    .sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(c -> cells.add((c.getKey().equals(e.getKey()) ? "*" : "") + c.getKey() + "=" + c.getValue()));
            System.out.printf("  %-16s %s%n", e.getKey(), String.join(" ", cells));
        }
    }
}
