/**
 * Sets of IP addresses written as CIDR prefixes ({@link io.sluice.daemon.net.PrefixTable}): parsed
 * from IP literals only (never a name, so never a DNS lookup), matched in O(log n). Depends on
 * nothing else in the daemon.
 */
package io.sluice.daemon.net;
