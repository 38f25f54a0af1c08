/**
 * A lenient, bounded MIME reader for mail that arrives from strangers: bounces, auto-replies and
 * complaint reports.
 *
 * <p>{@link io.sluice.protocol.mime.MimePart#parse(byte[])} turns raw message bytes into a tree of
 * parts (RFC 2045/2046): headers unfolded (RFC 5322 §2.2.3), multipart bodies split on their
 * boundary, {@code message/rfc822} and {@code message/global} bodies parsed as a nested message.
 * Bodies are decoded on demand (base64, quoted-printable; charset from the Content-Type, with a
 * fallback) and encoded words in headers are decoded on request (RFC 2047).
 *
 * <p>Why our own parser rather than Angus/Jakarta Mail: bounce mail is the worst-formed mail there
 * is (truncated parts, missing closing boundaries, 8-bit headers, bogus charsets, message/* parts
 * Jakarta only exposes as streams), and a feedback loop must never throw on it. Angus parses
 * lazily and raises {@code MessagingException}/{@code IOException} from many accessors; the parts
 * we need (headers, the first text part, delivery-status field groups, the embedded original's
 * header block as bytes) are small enough to read directly. Promises: {@code parse} never throws
 * for any input, runs in time linear in the input, and bounds the work: at most
 * {@value io.sluice.protocol.mime.MimePart#MAX_DEPTH} levels of nesting,
 * {@value io.sluice.protocol.mime.MimePart#MAX_PARTS} parts and
 * {@value io.sluice.protocol.mime.MimePart#MAX_HEADERS} header fields per part; beyond that the
 * remaining input is kept as an opaque body.
 */
package io.sluice.protocol.mime;
