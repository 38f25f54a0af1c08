package io.sluice.bench.inject;

import io.sluice.bench.measure.BenchHeaders;
import io.sluice.bench.measure.WeightedChoice;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the n-th message of a run: envelope, headers (with the bench id and send time), and a
 * body of 76-character lines padded to the drawn size. Bodies are cut from one shared filler,
 * so making a message costs a header string and one copy. CRLF throughout; never a line that
 * starts with a dot, but {@link #dotStuff} is applied on the SMTP path anyway.
 */
public final class MessageFactory {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private final String runId;
    private final String sender;
    private final WeightedChoice<String> domains;
    private final WeightedChoice<Integer> sizes;
    private final int recipientsPerMessage;
    private final List<String> extraHeaders;
    private final Map<Integer, byte[]> fillers = new ConcurrentHashMap<>();

    public MessageFactory(String runId, String sender, WeightedChoice<String> domains, WeightedChoice<Integer> sizes,
            int recipientsPerMessage, List<String> extraHeaders) {
        this.runId = runId;
        this.sender = sender;
        this.domains = domains;
        this.sizes = sizes;
        this.recipientsPerMessage = recipientsPerMessage;
        this.extraHeaders = List.copyOf(extraHeaders);
    }

    /** One message; {@code content} is the exact CRLF RFC 5322 text, not dot-stuffed. */
    public record Message(long sequence, String id, long sentMicros, String sender, List<String> recipients,
            byte[] content) {
    }

    public String runId() {
        return runId;
    }

    public Message make(long sequence, long sentMicros) {
        List<String> rcpts = new ArrayList<>(recipientsPerMessage);
        for (int i = 0; i < recipientsPerMessage; i++) {
            long k = sequence * recipientsPerMessage + i;
            rcpts.add("user" + (k % 1000) + "@" + domains.pick(k));
        }
        String id = runId + "-" + sequence;
        StringBuilder h = new StringBuilder(512);
        h.append("From: Sluice Bench <").append(sender).append(">\r\n");
        h.append("To: <").append(rcpts.get(0)).append(">\r\n");
        h.append("Subject: bench ").append(id).append("\r\n");
        h.append("Date: ").append(DATE.format(ZonedDateTime.now())).append("\r\n");
        h.append("Message-ID: <").append(id).append("@bench.sluice>\r\n");
        h.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n");
        for (String extra : extraHeaders) {
            h.append(extra).append("\r\n");
        }
        h.append(BenchHeaders.ID).append(": ").append(id).append("\r\n");
        h.append(BenchHeaders.SENT).append(": ").append(sentMicros).append("\r\n\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        int size = sizes.pick(sequence);
        byte[] filler = filler(size);
        int bodyLen = Math.max(0, size - head.length);
        bodyLen = bodyLen - bodyLen % 78; // whole lines only
        if (bodyLen == 0) {
            bodyLen = 78;
        }
        byte[] content = Arrays.copyOf(head, head.length + bodyLen);
        System.arraycopy(filler, 0, content, head.length, bodyLen);
        return new Message(sequence, id, sentMicros, sender, List.copyOf(rcpts), content);
    }

    private byte[] filler(int size) {
        return fillers.computeIfAbsent(size, s -> {
            int lines = s / 78 + 1;
            byte[] f = new byte[lines * 78];
            String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            for (int l = 0; l < lines; l++) {
                for (int c = 0; c < 76; c++) {
                    f[l * 78 + c] = (byte) alphabet.charAt((l * 7 + c) % alphabet.length());
                }
                f[l * 78 + 76] = '\r';
                f[l * 78 + 77] = '\n';
            }
            return f;
        });
    }

    /** RFC 5321 §4.5.2: a line starting with '.' gets one more. Returns the input when none do. */
    public static byte[] dotStuff(byte[] content) {
        int extra = content.length > 0 && content[0] == '.' ? 1 : 0;
        for (int i = 2; i < content.length; i++) {
            if (content[i] == '.' && content[i - 1] == '\n' && content[i - 2] == '\r') {
                extra++;
            }
        }
        if (extra == 0) {
            return content;
        }
        byte[] out = new byte[content.length + extra];
        int o = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '.' && (i == 0 || (i >= 2 && content[i - 1] == '\n' && content[i - 2] == '\r'))) {
                out[o++] = '.';
            }
            out[o++] = content[i];
        }
        return out;
    }
}
