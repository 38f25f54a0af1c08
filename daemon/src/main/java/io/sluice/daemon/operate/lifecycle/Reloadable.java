package io.sluice.daemon.operate.lifecycle;

/**
 * Something that re-reads its files on an operator's reload (SIGHUP or the admin API) without a
 * restart. A failed reload must leave the previous state in force and say why.
 */
public interface Reloadable {
    /** A short name for logs and events, e.g. "dkim keys". */
    String reloadName();

    /** Re-reads; throws with a message naming the setting or file at fault, keeping the old state. */
    void reload();
}
