package io.sluice.protocol.bounce.tool;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.protocol.bounce.BounceClassifier;
import io.sluice.protocol.bounce.BounceParser;
import io.sluice.protocol.bounce.BounceReport;
import io.sluice.protocol.bounce.BouncedRecipient;
import io.sluice.protocol.bounce.Classification;
import io.sluice.protocol.smtp.SmtpReply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line front end; see the package notes for usage and output. */
public final class BounceTool {

    private static final String USAGE = "usage: BounceTool classify [--rules FILE] (--replies FILE | MAIL...)";
    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([245]\\d\\d)\\b");
    private static final JsonFactory JSON = new JsonFactory();

    private BounceTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("classify")) {
            err.println(args.length == 0 ? USAGE : "unknown command '" + args[0] + "'; " + USAGE);
            return 2;
        }
        String rules = null;
        String replies = null;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--rules") || a.equals("--replies")) && i + 1 < args.length) {
                if (a.equals("--rules")) {
                    rules = args[++i];
                } else {
                    replies = args[++i];
                }
            } else if (a.equals("--rules") || a.equals("--replies")) {
                err.println("option " + a + " needs a FILE; " + USAGE);
                return 2;
            } else if (a.startsWith("-") && !a.equals("-")) {
                err.println("unknown option '" + a + "'; " + USAGE);
                return 2;
            } else {
                files.add(a);
            }
        }
        if (replies == null && files.isEmpty()) {
            err.println("nothing to classify; " + USAGE);
            return 2;
        }
        BounceClassifier classifier;
        try {
            classifier = rules == null ? BounceClassifier.bundled() : BounceClassifier.withUserRules(Path.of(rules));
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot load rules " + rules + ": " + e.getMessage());
            return 2;
        }
        int status = 0;
        if (replies != null) {
            try {
                byte[] bytes = read(replies, in);
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                    if (!line.isBlank()) {
                        write(out, replies, null, classifyLine(classifier, line), "bounce", null);
                    }
                }
            } catch (IOException e) {
                err.println("cannot read " + replies + ": " + e.getMessage());
                status = 1;
            }
        }
        BounceParser parser = new BounceParser(classifier);
        for (String f : files) {
            byte[] bytes;
            try {
                bytes = read(f, in);
            } catch (IOException e) {
                err.println("cannot read " + f + ": " + e.getMessage());
                status = 1;
                continue;
            }
            report(out, f, parser.parse(bytes));
        }
        out.flush();
        return status;
    }

    private static Classification classifyLine(BounceClassifier classifier, String line) {
        try {
            return classifier.classify(SmtpReply.parse(line.strip()));
        } catch (IllegalArgumentException notAReplyLine) {
            Matcher m = LEADING_CODE.matcher(line);
            return classifier.classify(m.find() ? Integer.parseInt(m.group(1)) : 0, null, line);
        }
    }

    private static void report(PrintStream out, String file, BounceReport r) {
        String kind = r.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (r.kind() == BounceReport.Kind.NOT_BOUNCE || r.recipients().isEmpty()) {
            write(out, file, null, null, kind, null);
            return;
        }
        String feedbackType = r.feedback() == null ? null : r.feedback().feedbackType();
        for (BouncedRecipient b : r.recipients()) {
            write(out, file, b.recipient(), b.classification(), kind, feedbackType);
        }
    }

    private static void write(PrintStream out, String file, String recipient, Classification c, String kind, String feedbackType) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        boolean bounce = kind.equals("bounce");
        try (JsonGenerator g = JSON.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("file", file);
            g.writeStringField("recipient", recipient);
            g.writeStringField("category", bounce && c != null ? c.category().label() : null);
            g.writeStringField("reason", c == null ? null : c.reason());
            g.writeBooleanField("hard", bounce && c != null && c.hard());
            g.writeStringField("status", c == null ? null : c.status());
            if (c == null || c.replyCode() == 0) {
                g.writeNullField("reply_code");
            } else {
                g.writeNumberField("reply_code", c.replyCode());
            }
            g.writeBooleanField("bounce", bounce);
            g.writeStringField("kind", kind);
            if (feedbackType != null) {
                g.writeStringField("feedback_type", feedbackType);
            }
            g.writeEndObject();
        } catch (IOException impossible) { // in-memory stream
            throw new IllegalStateException(impossible);
        }
        out.println(buf.toString(StandardCharsets.UTF_8));
    }

    private static byte[] read(String file, InputStream in) throws IOException {
        return file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
    }
}
