package io.sluice.daemon.operate.admin;

import io.sluice.daemon.http.Problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.daemon.outcome.suppression.SuppressionChange;
import io.sluice.daemon.outcome.suppression.SuppressionEntry;
import io.sluice.daemon.outcome.suppression.SuppressionReason;
import io.sluice.daemon.outcome.suppression.SuppressionStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/suppressions}: query, add, remove, history, CSV export and bulk import.
 * See docs/api.md. Errors are problem+json bodies naming what is wrong.
 */
@Controller("/admin/suppressions")
public final class SuppressionController {
    static final String CSV_HEADER = "tenant,address,reason,expires,source,note,added";
    private final SuppressionStore store;

    public SuppressionController(SuppressionStore store) {
        this.store = store;
    }

    @Serdeable
    public record EntryView(String tenant, String address, String reason, String source, String note, Instant added,
                            Instant expires) {
        static EntryView of(SuppressionEntry e) {
            return new EntryView(e.tenant(), e.key(), e.reason().label(), e.source(), e.note(), e.added(), e.expires());
        }
    }

    @Serdeable
    public record ChangeView(String action, String tenant, String address, String reason, String source, String note,
                             Instant at, Instant expires) {
        static ChangeView of(SuppressionChange c) {
            return new ChangeView(c.action(), c.tenant(), c.key(), c.reason() == null ? null : c.reason().label(),
                    c.source(), c.note(), c.at(), c.expires());
        }
    }

    @Serdeable
    public record AddRequest(@Nullable String tenant, String address, @Nullable String reason, @Nullable String note,
                             @Nullable Instant expires) {
    }

    @Serdeable
    public record Lookup(boolean suppressed, @Nullable EntryView entry) {
    }

    @Serdeable
    public record ImportResult(long imported, long unchanged, long rejected, List<String> errors) {
    }

    @Get("/{tenant}/{address}")
    public HttpResponse<?> lookup(@PathVariable String tenant, @PathVariable String address) {
        try {
            return store.lookup(tenant, address)
                    .<HttpResponse<?>>map(e -> HttpResponse.ok(new Lookup(true, EntryView.of(e))))
                    .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).body(new Lookup(false, null)));
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
    }

    @Get("/{tenant}/{address}/history")
    public HttpResponse<?> history(@PathVariable String tenant, @PathVariable String address) {
        try {
            return HttpResponse.ok(store.history(tenant, address).stream().map(ChangeView::of).toList());
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
    }

    @Post
    public HttpResponse<?> add(@Body AddRequest req) {
        SuppressionReason reason = req.reason() == null ? SuppressionReason.MANUAL : SuppressionReason.fromLabel(req.reason());
        if (reason == null) {
            return problem("unknown reason " + req.reason() + " (hard-bounce, complaint, unsubscribe, manual, repeated-soft-bounce)");
        }
        try {
            return store.add(req.tenant(), req.address(), reason, "admin", req.note(), req.expires())
                    .<HttpResponse<?>>map(c -> HttpResponse.created(ChangeView.of(c)))
                    .orElseGet(() -> HttpResponse.ok(Map.of("unchanged", true)));
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        } catch (SuppressionStore.DiskFull e) {
            return diskFull(e);
        }
    }

    @Delete("/{tenant}/{address}")
    public HttpResponse<?> remove(@PathVariable String tenant, @PathVariable String address,
                                  @Nullable @QueryValue String note) {
        try {
            return store.remove(tenant, address, "admin", note)
                    .<HttpResponse<?>>map(c -> HttpResponse.ok(ChangeView.of(c)))
                    .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).body(Map.of("suppressed", false)));
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        } catch (SuppressionStore.DiskFull e) {
            return diskFull(e);
        }
    }

    /** Every entry in force as CSV, streamed while it is read from the log. */
    @Get("/export")
    @Produces("text/csv")
    public StreamedFile export(@Nullable @QueryValue String tenant) throws IOException {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                w.write(CSV_HEADER + "\n");
                store.forEach(tenant, e -> {
                    try {
                        w.write(csv(e.tenant()) + "," + csv(e.key()) + "," + e.reason().label() + ","
                                + (e.expires() == null ? "" : e.expires()) + "," + csv(e.source()) + "," + csv(e.note())
                                + "," + e.added() + "\n");
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
            } catch (IOException | RuntimeException ignored) {
                // the client went away
            }
        }, "sluice-suppression-export");
        writer.setDaemon(true);
        writer.start();
        return new StreamedFile(in, new MediaType("text/csv"));
    }

    /**
     * Bulk import, streamed line by line: columns named by a header row (address required;
     * tenant, reason, expires, note optional), or without one {@code address[,reason[,expires[,note]]]}.
     * {@code ?tenant=} applies to rows without a tenant column.
     */
    @Post(value = "/import", consumes = {"text/csv", MediaType.TEXT_PLAIN})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> importCsv(@Body InputStream body, @Nullable @QueryValue String tenant)
            throws IOException {
        long imported = 0;
        long unchanged = 0;
        long rejected = 0;
        List<String> errors = new ArrayList<>();
        List<String> columns = List.of("address", "reason", "expires", "note");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> cells = split(line);
                if (n == 1 && (cells.contains("address") || cells.contains("tenant"))) {
                    columns = cells;
                    continue;
                }
                try {
                    String address = cell(cells, columns, "address");
                    String t = cell(cells, columns, "tenant");
                    String reasonText = cell(cells, columns, "reason");
                    String expires = cell(cells, columns, "expires");
                    SuppressionReason reason = reasonText == null ? SuppressionReason.MANUAL : SuppressionReason.fromLabel(reasonText);
                    if (reason == null) {
                        throw new IllegalArgumentException("unknown reason " + reasonText);
                    }
                    java.util.Optional<SuppressionChange> c;
                    try {
                        c = store.add(t != null ? t : tenant, address, reason, "import", cell(cells, columns, "note"),
                                expires == null ? null : Instant.parse(expires));
                    } catch (SuppressionStore.DiskFull full) {
                        // lines before this one are in; the operator resends from this line once space returns
                        store.sync();
                        return diskFull(new SuppressionStore.DiskFull(full.getMessage() + "; import stopped at line "
                                + n + " (" + imported + " imported before it)"));
                    }
                    if (c.isPresent()) {
                        imported++;
                    } else {
                        unchanged++;
                    }
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    rejected++;
                    if (errors.size() < 20) {
                        errors.add("line " + n + ": " + e.getMessage());
                    }
                }
            }
        }
        store.sync();
        return HttpResponse.ok(new ImportResult(imported, unchanged, rejected, errors));
    }

    private static String cell(List<String> cells, List<String> columns, String name) {
        int i = columns.indexOf(name);
        if (i < 0 || i >= cells.size()) {
            return null;
        }
        String v = cells.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    /** RFC 4180 fields: commas, double quotes around fields, "" for a quote inside. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                ? '"' + s.replace("\"", "\"\"").replace("\n", " ") + '"' : s;
    }

    /** The suppression log's disk is below its floor: nothing changed; 503 with a time to come back. */
    private static HttpResponse<?> diskFull(SuppressionStore.DiskFull e) {
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType("application/problem+json")
                .header("Retry-After", "60")
                .body(Map.of("type", "/problems/insufficient-storage", "status", 503, "title", "Insufficient storage",
                        "detail", e.getMessage()));
    }

    private static HttpResponse<?> problem(String detail) {
        return Problem.of(HttpStatus.BAD_REQUEST, detail).response();
    }
}
