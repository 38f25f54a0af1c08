/**
 * The sender-health doctor: checks, against live DNS, that the domains and sources Sluice sends
 * with are set up the way Gmail, Yahoo and Microsoft demand of bulk senders, and says how to fix
 * what is not (docs/deliverability.md, "## Doctor").
 *
 * <p>{@link io.sluice.daemon.deliverability.doctor.SetupFromConfig} gathers a
 * {@link io.sluice.daemon.deliverability.doctor.SendingSetup} from the configuration (DKIM keys,
 * bounce domains, the egress file's sources, {@code sluice.doctor.*});
 * {@link io.sluice.daemon.deliverability.doctor.Doctor} runs one small class per check over it
 * and returns a {@link io.sluice.daemon.deliverability.doctor.DoctorReport} of
 * {@link io.sluice.daemon.deliverability.doctor.Finding}s (pass / warn / unknown / fail, with the
 * fix in words). It is run by {@code bin/sluice doctor} ({@code io.sluice.daemon.DoctorCommand})
 * and {@code GET /admin/doctor} ({@link io.sluice.daemon.deliverability.doctor.DoctorController});
 * {@link io.sluice.daemon.deliverability.doctor.SourceHealth} turns the per-source verdicts into
 * SourceHealth events and a gauge and offers them to other parts through
 * {@link io.sluice.daemon.deliverability.doctor.SourceVerdicts}.
 *
 * <p>Promises: DNS that does not answer (SERVFAIL, timeouts, a block list's error codes) is
 * "unknown", never "fail"; SPF is evaluated by {@code io.sluice.protocol.spf}, not matched as
 * text; organisational domains come from the Public Suffix List Guava ships; nothing here holds
 * mail, changes configuration or suspends a source.
 */
package io.sluice.daemon.deliverability.doctor;
