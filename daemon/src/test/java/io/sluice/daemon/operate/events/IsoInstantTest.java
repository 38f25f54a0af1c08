package io.sluice.daemon.operate.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsoInstantTest {
    private static String format(Instant t) {
        char[] out = new char[IsoInstant.MAX_CHARS];
        int n = IsoInstant.format(t, out);
        return n < 0 ? null : new String(out, 0, n);
    }

    @Test
    void writesWhatInstantToStringWrites() {
        String[] fixed = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.100Z",
            "2026-12-07T05:30:45.487819Z", "2026-12-07T05:30:45.487819376Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.000000001Z", "2100-03-01T00:00:00.010Z", "1900-02-28T23:59:59Z"};
        for (String s : fixed) {
            assertEquals(s, format(Instant.parse(s)));
        }
        SplittableRandom random = new SplittableRandom(14);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nano);
            assertEquals(t.toString(), format(t));
        }
    }

    @Test
    void yearsOutsideFourDigitsAreLeftToTheLibrary() {
        assertEquals(null, format(Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals(null, format(Instant.parse("-0001-12-31T23:59:59Z")));
    }
}
