package io.sluice.daemon.deliverability.doctor;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * Every finding of one doctor run, and the verdict over all of them: fail if any check failed,
 * warn if any warned or could not tell, pass otherwise.
 */
@Serdeable
public record DoctorReport(Instant at, Verdict verdict, int exitCode, List<Finding> findings) {

    public static DoctorReport of(Instant at, List<Finding> findings) {
        Verdict worst = Verdict.PASS;
        for (Finding f : findings) {
            if (f.verdict().ordinal() > worst.ordinal()) {
                worst = f.verdict();
            }
        }
        Verdict overall = worst == Verdict.UNKNOWN ? Verdict.WARN : worst;
        int exit = switch (overall) {
            case PASS -> 0;
            case WARN, UNKNOWN -> 1;
            case FAIL -> 2;
        };
        return new DoctorReport(at, overall, exit, List.copyOf(findings));
    }

    /** The report as text, one finding a line, then the overall verdict. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Finding f : findings) {
            out.append(f.line()).append('\n');
        }
        long fails = findings.stream().filter(f -> f.verdict() == Verdict.FAIL).count();
        long warns = findings.stream().filter(f -> f.verdict() == Verdict.WARN).count();
        long unknown = findings.stream().filter(f -> f.verdict() == Verdict.UNKNOWN).count();
        out.append(verdict.word()).append(": ").append(findings.size()).append(" checks, ").append(fails)
                .append(" failed, ").append(warns).append(" warned, ").append(unknown).append(" unknown\n");
        return out.toString();
    }
}
