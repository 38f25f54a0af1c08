/**
 * {@code BounceTool}: the classifier and the bounce parser on the command line, one JSON object per
 * line (JSON Lines), for operators checking a rules file and for comparing against other tools.
 *
 * <pre>
 * java -cp ... io.sluice.protocol.bounce.tool.BounceTool classify [--rules FILE] MAIL...
 * java -cp ... io.sluice.protocol.bounce.tool.BounceTool classify [--rules FILE] --replies FILE
 * </pre>
 *
 * <p>Each line has {@code file, recipient, category, reason, hard, status, reply_code, bounce, kind}.
 * A mail that is not a bounce prints one line with {@code "bounce":false}, {@code "category":null}
 * and {@code kind} saying what it is ({@code not-bounce}; {@code auto-reply} with reason
 * {@code vacation}; {@code feedback} with reason {@code feedback} and {@code feedback_type}, one
 * line per complaining recipient). {@code -} reads standard input. Exit status: 0 all read, 1 some
 * file could not be read, 2 usage error (one line on stderr).
 */
package io.sluice.protocol.bounce.tool;
