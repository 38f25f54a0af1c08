package io.sluice.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of a process from {@code /proc} (Linux): CPU seconds are utime+stime of
 * {@code /proc/PID/stat} (clock ticks, USER_HZ = 100 on Linux); memory is VmRSS / VmHWM of
 * {@code /proc/PID/status}; machine-wide busy time from {@code /proc/stat}.
 */
public final class ProcStats {
    private static final double HZ = 100.0;

    private ProcStats() {
    }

    /** CPU seconds used so far by the process, or -1 when it cannot be read. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A field of /proc/PID/status in MB (VmRSS, VmHWM), or -1. */
    public static double statusMb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Busy CPU seconds of the whole machine (user+nice+system+irq+softirq), or -1. */
    public static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return busy / HZ;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
