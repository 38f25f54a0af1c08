package io.sluice.daemon.operate.events;

import java.time.Instant;

/**
 * An instant as {@link java.time.format.DateTimeFormatter#ISO_INSTANT} writes it
 * ({@code 2026-12-07T05:30:45.487819376Z}: seconds always, the fraction in groups of three digits
 * as needed), into a caller's array. {@code Instant.toString()} built three date-time objects, a
 * builder and a string for each of the two or three instants of every event (issue 14).
 */
final class IsoInstant {
    /** {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ} */
    static final int MAX_CHARS = 30;
    private static final long SECONDS_PER_DAY = 86_400;

    private IsoInstant() {
    }

    /** Writes {@code t} into {@code out} and returns the length; -1 for a year outside 0000..9999. */
    static int format(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // days since 1970-01-01 to a civil date (proleptic Gregorian), H. Hinnant's algorithm
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        int p = 0;
        p = digits(out, p, (int) year, 4);
        out[p++] = '-';
        p = digits(out, p, month, 2);
        out[p++] = '-';
        p = digits(out, p, day, 2);
        out[p++] = 'T';
        p = digits(out, p, secondOfDay / 3600, 2);
        out[p++] = ':';
        p = digits(out, p, secondOfDay / 60 % 60, 2);
        out[p++] = ':';
        p = digits(out, p, secondOfDay % 60, 2);
        int nano = t.getNano();
        if (nano != 0) {
            out[p++] = '.';
            if (nano % 1_000_000 == 0) {
                p = digits(out, p, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                p = digits(out, p, nano / 1000, 6);
            } else {
                p = digits(out, p, nano, 9);
            }
        }
        out[p++] = 'Z';
        return p;
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
