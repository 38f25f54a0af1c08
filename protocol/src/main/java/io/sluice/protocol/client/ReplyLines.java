package io.sluice.protocol.client;

import io.sluice.protocol.smtp.SmtpReply;
import java.util.List;

/**
 * One reply as decoded: the parsed value plus its raw lines, which EHLO needs to read the
 * extension list (RFC 5321 §4.1.1.1: one keyword per line).
 */
record ReplyLines(SmtpReply reply, List<String> lines) {
}
