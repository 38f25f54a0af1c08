package io.sluice.protocol.bounce;

/**
 * The verdict for one recipient of a bounce.
 *
 * @param recipient      the failed address (RFC 3464 Final-Recipient, else Original-Recipient, else
 *                       found in the prose); null when the bounce does not say
 * @param action         RFC 3464 §2.3.3 action, lower case: {@code failed}, {@code delayed},
 *                       {@code delivered}, {@code relayed}, {@code expanded}; {@code failed} when a
 *                       non-standard bounce gives none
 * @param diagnostic     the remote server's words (Diagnostic-Code, or the prose block), may be empty
 * @param remoteMta      the host that said so (Remote-MTA), or null
 * @param classification what it means
 */
public record BouncedRecipient(String recipient, String action, String diagnostic, String remoteMta,
                               Classification classification) {

    /** True for failures and delays; false for delivered/relayed/expanded reports. */
    public boolean isFailure() {
        return action.equals("failed") || action.equals("delayed");
    }
}
