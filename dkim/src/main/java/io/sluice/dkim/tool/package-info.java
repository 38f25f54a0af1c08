/**
 * The operator's command line for DKIM, behind {@code bin/sluice dkim …}:
 * {@code keygen} (new key file, mode 0600, plus the TXT record to publish), {@code check} (is the
 * published record this key's?) and {@code sign} (sign a message from stdin with the daemon's own
 * code path, for debugging).
 *
 * <p>Promises: exit 0 success / match; 1 failure, mismatch or absent record; 2 usage error, with
 * a one-line message on stderr. Nothing here calls {@code System.exit} except {@code main}, so
 * {@link io.sluice.dkim.tool.DkimTool#run} is testable in-process.
 */
package io.sluice.dkim.tool;
