/**
 * MTA-STS (RFC 8461) for outbound mail: the {@code _mta-sts} TXT record ({@link
 * io.sluice.daemon.egress.tls.sts.StsRecord}), the policy file fetched over HTTPS with the RFC's
 * limits ({@link io.sluice.daemon.egress.tls.sts.StsPolicyFetcher}: Web PKI checked, no redirects,
 * {@code text/plain}, 64 KiB, a deadline), parsed strictly ({@link
 * io.sluice.daemon.egress.tls.sts.StsPolicy}), and kept on disk under the spool directory ({@link
 * io.sluice.daemon.egress.tls.sts.StsPolicyCache}) until its {@code max_age}.
 *
 * <p>Promises ({@link io.sluice.daemon.egress.tls.sts.StsPolicies}): a policy kept on disk
 * outlives restarts, TXT removal, DNS failure and a dead or hostile policy host until its
 * {@code max_age} (only a new policy fetched for a new id replaces it); with nothing kept, a
 * failed fetch means "no policy" and is recorded for TLS-RPT. Lookups never fail: trouble is a
 * lookup without a policy and a reason.
 */
package io.sluice.daemon.egress.tls.sts;
