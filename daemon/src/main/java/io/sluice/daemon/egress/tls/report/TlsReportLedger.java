package io.sluice.daemon.egress.tls.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The TLS-RPT counts (RFC 8460 §4): sessions per policy domain, policy and result, per UTC day,
 * kept on disk so a restart loses nothing.
 *
 * <p>One append-only file per day, {@code <dir>/<yyyy-mm-dd>.tlsrpt}, of three kinds of line:
 * <pre>
 * K &lt;id&gt; {"domain":…,"type":…,"strings":[…],"mx":…,"result":…}   a (policy, result) key, once
 * &lt;id&gt;                                                         one session with that key
 * S &lt;policy-domain&gt;                                             that domain's report went out
 * </pre>
 * Each {@link #record} is one {@code write(2)} of a few bytes before it returns, so a killed
 * process loses nothing (the page cache has it); {@link #flush} forces the files to the disk,
 * and the report schedule calls it every second, so a power cut loses at most that second. On
 * open, every file is replayed; a torn last line (a crash inside a write) is cut off.
 * A day's file is deleted once every domain of it has been reported ({@link #forget}).
 *
 * <p>Thread-safe; {@code record} is cheap (a map lookup and a small write under one lock).
 */
public final class TlsReportLedger implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsReportLedger.class);
    private static final String SUFFIX = ".tlsrpt";

    private final Path dir;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<LocalDate, DayFile> days = new TreeMap<>();

    private TlsReportLedger(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Opens (creating) the ledger directory and replays the days kept there. */
    public static TlsReportLedger open(Path dir, Clock clock) throws IOException {
        Files.createDirectories(dir);
        TlsReportLedger ledger = new TlsReportLedger(dir, clock);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    LocalDate day = LocalDate.parse(name.substring(0, name.length() - SUFFIX.length()));
                    ledger.days.put(day, ledger.replay(day, file));
                } catch (DateTimeParseException notOurs) {
                    // a stray file; left alone
                }
            }
        }
        return ledger;
    }

    /**
     * Counts one session under today's UTC day: the one method the TLS policy resolver calls.
     *
     * @param policyStrings the MTA-STS policy lines or the TLSA records; empty for no-policy-found
     * @param mxHost        the MX host the session was with
     * @param result        {@link SessionResult#SUCCESS} or the failure's result-type
     */
    public void record(String policyDomain, PolicyType policyType, List<String> policyStrings, String mxHost,
            SessionResult result) {
        record(new ReportedPolicy(policyDomain, policyType, policyStrings, mxHost), result);
    }

    public synchronized void record(ReportedPolicy policy, SessionResult result) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        DayFile day = days.computeIfAbsent(today, this::create);
        Key key = new Key(policy, result);
        Integer id = day.ids.get(key);
        StringBuilder line = new StringBuilder();
        if (id == null) {
            id = day.nextId++;
            line.append("K\t").append(id).append('\t').append(encode(key)).append('\n');
        }
        line.append(id).append('\n');
        day.append(line.toString()); // written before it is counted: what is counted is on disk
        day.ids.putIfAbsent(key, id);
        day.counts.merge(key, 1L, Long::sum);
    }

    /** The days with counts, oldest first. */
    public synchronized List<LocalDate> days() {
        return List.copyOf(days.keySet());
    }

    /** A day's counts, one entry per policy domain not yet reported, in first-seen order. */
    public synchronized List<DayCounts> countsFor(LocalDate day) {
        DayFile file = days.get(day);
        if (file == null) {
            return List.of();
        }
        Map<String, Map<ReportedPolicy, Map<SessionResult, Long>>> byDomain = new LinkedHashMap<>();
        file.counts.forEach((key, n) -> {
            if (!file.sent.contains(key.policy().policyDomain())) {
                byDomain.computeIfAbsent(key.policy().policyDomain(), d -> new LinkedHashMap<>())
                        .computeIfAbsent(key.policy(), p -> new LinkedHashMap<>())
                        .merge(key.result(), n, Long::sum);
            }
        });
        List<DayCounts> out = new ArrayList<>();
        byDomain.forEach((domain, counts) -> out.add(new DayCounts(day, domain, counts)));
        return out;
    }

    /** Notes that a domain's report for the day went out (or was given up); it is not offered again. */
    public synchronized void markReported(LocalDate day, String policyDomain) {
        DayFile file = days.get(day);
        if (file != null && file.sent.add(policyDomain)) {
            file.append("S\t" + policyDomain + "\n");
        }
    }

    /** Deletes a finished day's file. */
    public synchronized void forget(LocalDate day) {
        DayFile file = days.remove(day);
        if (file != null) {
            file.close();
            try {
                Files.deleteIfExists(file.path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file.path, e);
            }
        }
    }

    /** Forces every open day file to the disk. */
    public synchronized void flush() {
        for (DayFile f : days.values()) {
            f.force();
        }
    }

    @Override
    public synchronized void close() {
        for (DayFile f : days.values()) {
            f.force();
            f.close();
        }
        days.clear();
    }

    private record Key(ReportedPolicy policy, SessionResult result) {
    }

    private String encode(Key key) {
        ObjectNode n = json.createObjectNode();
        n.put("domain", key.policy().policyDomain());
        n.put("type", key.policy().type().wire());
        key.policy().policyStrings().forEach(n.putArray("strings")::add);
        if (!n.has("strings")) {
            n.putArray("strings");
        }
        n.put("mx", key.policy().mxHost());
        n.put("result", key.result().wire());
        return n.toString(); // Jackson escapes control characters: one line, always
    }

    private Key decode(String text) throws IOException {
        JsonNode n = json.readTree(text);
        List<String> strings = new ArrayList<>();
        n.path("strings").forEach(s -> strings.add(s.asText()));
        return new Key(new ReportedPolicy(n.path("domain").asText(), PolicyType.fromWire(n.path("type").asText()),
                strings, n.path("mx").asText()), SessionResult.fromWire(n.path("result").asText()));
    }

    private DayFile create(LocalDate day) {
        try {
            return new DayFile(dir.resolve(day + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open TLS-RPT ledger for " + day, e);
        }
    }

    private DayFile replay(LocalDate day, Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--; // a torn last line from a crash mid-write: cut it off
        }
        if (end < bytes.length) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        DayFile file = new DayFile(path);
        Map<Integer, Key> byId = new HashMap<>();
        int skipped = 0;
        int nextId = 0;
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("K\t")) {
                    String[] parts = line.split("\t", 3);
                    int id = Integer.parseInt(parts[1]);
                    nextId = Math.max(nextId, id + 1);
                    Key key = decode(parts[2]);
                    byId.put(id, key);
                    file.ids.put(key, id);
                } else if (line.startsWith("S\t")) {
                    file.sent.add(line.substring(2));
                } else {
                    Key key = byId.get(Integer.parseInt(line.strip()));
                    if (key == null) {
                        throw new IOException("session line for an unknown key");
                    }
                    file.counts.merge(key, 1L, Long::sum);
                }
            } catch (IOException | RuntimeException e) {
                skipped++; // a damaged line costs its own count, never the daemon's start
            }
        }
        file.nextId = nextId;
        if (skipped > 0) {
            LOG.warn("TLS-RPT ledger {}: {} damaged lines skipped", path, skipped);
        }
        return file;
    }

    private static final class DayFile {
        final Path path;
        final FileChannel channel;
        final Map<Key, Integer> ids = new HashMap<>();
        final Map<Key, Long> counts = new LinkedHashMap<>();
        final Set<String> sent = new HashSet<>();
        int nextId;

        DayFile(Path path) throws IOException {
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        void append(String text) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write TLS-RPT ledger " + path, e);
            }
        }

        void force() {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync TLS-RPT ledger " + path, e);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file we only appended to and forced
            }
        }
    }
}
