package io.sluice.daemon.egress.window;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's syntax and its next opening, across midnight, the date line and DST changes. */
class DeliveryWindowTest {
    private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati"); // UTC+14
    private static final ZoneId PAGO_PAGO = ZoneId.of("Pacific/Pago_Pago"); // UTC-11

    private static Instant next(String window, String now) throws Exception {
        return DeliveryWindow.parse(window).nextOpening(Instant.parse(now), ZoneOffset.UTC);
    }

    private static Instant next(String window, String now, ZoneId recipient) throws Exception {
        return DeliveryWindow.parse(window).nextOpening(Instant.parse(now), recipient);
    }

    @Test
    void theCompactSyntaxReadsDaysRangesAndZone() throws Exception {
        DeliveryWindow w = DeliveryWindow.parse("mon-fri 09:00-12:00, 14:00-17:30; sat 10:00-24:00 Europe/Paris");
        assertEquals(ZoneId.of("Europe/Paris"), w.zone());
        assertEquals(2, w.clauses().size());
        assertEquals(5, w.clauses().get(0).days().size());
        assertEquals(new DeliveryWindow.Range(14 * 60, 17 * 60 + 30), w.clauses().get(0).ranges().get(1));
        assertEquals(new DeliveryWindow.Range(600, 1440), w.clauses().get(1).ranges().get(0));
        assertTrue(DeliveryWindow.parse("daily 00:00-24:00 recipient").recipientZone());
        assertTrue(DeliveryWindow.parse("fri-mon 09:00-10:00 UTC").clauses().get(0).days()
                .containsAll(java.util.Set.of(DayOfWeek.FRIDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | empty",
            "09:00-17:00 UTC                     | a clause is days then hour ranges",
            "mon-fri 09:00-17:00                 | the zone is missing",
            "mon-fri 09:00-09:00 UTC             | empty hour range",
            "mon 00:00-00:00 UTC                 | empty hour range",
            "mon-fri 09:00-17:00 Europe/Pariss   | \"Europe/Pariss\" is not an IANA time zone name",
            "mon-fri 09:00-17:00 +02:00          | not an IANA time zone name",
            "mon-fri 09:00-17:00 CEST            | not an IANA time zone name",
            "monday 09:00-17:00 UTC              | \"monday\" is not a day",
            "mon-fri 9-17 UTC                    | is not an hour range",
            "mon 24:00-02:00 UTC                 | 24:00 is not a time of day",
            "mon 09:60-10:00 UTC                 | 09:60 is not a time of day",
            "mon 09:00-10:00;  UTC               | a clause is days then hour ranges",
            "mon-tue-wed 09:00-10:00 UTC         | a day range is two days",
    })
    void aWindowThatCannotOpenIsRefusedSayingWhy(String text, String reason) {
        WindowSyntaxException e = assertThrows(WindowSyntaxException.class, () -> DeliveryWindow.parse(text));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void anOpenWindowOpensNow() throws Exception {
        // Monday 2026-03-02 10:00 UTC is 11:00 in Paris
        assertEquals(Instant.parse("2026-03-02T10:00:00Z"),
                next("mon-fri 09:00-17:00 Europe/Paris", "2026-03-02T10:00:00Z"));
    }

    @Test
    void beforeTheRangeItOpensAtTheRangesStartInTheWindowsZone() throws Exception {
        assertEquals(Instant.parse("2026-03-02T08:00:00Z"), // 09:00 CET
                next("mon-fri 09:00-17:00 Europe/Paris", "2026-03-02T05:00:00Z"));
    }

    @Test
    void theEndOfARangeIsExcludedAndTheNextRangeOrDayFollows() throws Exception {
        String w = "mon-fri 09:00-12:00,14:00-17:00 UTC";
        assertEquals(Instant.parse("2026-03-02T14:00:00Z"), next(w, "2026-03-02T12:00:00Z"));
        // Friday 17:00 -> Monday 09:00
        assertEquals(Instant.parse("2026-03-09T09:00:00Z"), next(w, "2026-03-06T17:00:00Z"));
    }

    @Test
    void aRangeCrossingMidnightRunsIntoTheNextDay() throws Exception {
        String w = "mon-fri 22:00-06:00 UTC";
        assertEquals(Instant.parse("2026-03-03T03:00:00Z"), next(w, "2026-03-03T03:00:00Z"), "Tuesday 03:00: Monday's night");
        assertEquals(Instant.parse("2026-03-07T05:59:00Z"), next(w, "2026-03-07T05:59:00Z"), "Saturday 05:59: Friday's night");
        assertEquals(Instant.parse("2026-03-09T22:00:00Z"), next(w, "2026-03-07T06:00:00Z"), "Saturday 06:00: closed to Monday 22:00");
        assertEquals(Instant.parse("2026-03-09T22:00:00Z"), next(w, "2026-03-08T23:00:00Z"), "Sunday night is not named");
    }

    @Test
    void recipientZonesEitherSideOfTheDateLineReadTheirOwnDay() throws Exception {
        String w = "mon 09:00-10:00 recipient";
        // Monday 2026-03-02 19:30 UTC: Tuesday 09:30 at Kiritimati, Monday 08:30 at Pago Pago
        String now = "2026-03-02T19:30:00Z";
        assertEquals(Instant.parse("2026-03-08T19:00:00Z"), next(w, now, KIRITIMATI), "Kiritimati waits for next Monday");
        assertEquals(Instant.parse("2026-03-02T20:00:00Z"), next(w, now, PAGO_PAGO), "Pago Pago opens in half an hour");
        // Sunday 19:30 UTC is already Monday 09:30 at Kiritimati
        assertEquals(Instant.parse("2026-03-01T19:30:00Z"), next(w, "2026-03-01T19:30:00Z", KIRITIMATI));
        assertEquals(Instant.parse("2026-03-02T20:00:00Z"), next(w, "2026-03-01T19:30:00Z", PAGO_PAGO));
    }

    @Test
    void aWindowWithItsOwnZoneIgnoresTheRecipientsZone() throws Exception {
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), next("mon 09:00-10:00 UTC", "2026-03-02T08:00:00Z", KIRITIMATI));
    }

    @Test
    void berlinSpringForwardShiftsUtcOpeningsByAnHour() throws Exception {
        String w = "daily 09:00-17:00 Europe/Berlin";
        assertEquals(Instant.parse("2026-03-28T08:00:00Z"), next(w, "2026-03-28T06:30:00Z"), "Saturday 09:00 CET");
        assertEquals(Instant.parse("2026-03-29T07:00:00Z"), next(w, "2026-03-29T06:30:00Z"), "Sunday 09:00 CEST");
    }

    @Test
    void aRangeStartingInTheSpringForwardGapOpensWhenTheGapEnds() throws Exception {
        // 2026-03-29 02:00 CET does not exist: the clock goes to 03:00 CEST (01:00 UTC)
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), next("sun 02:00-04:00 Europe/Berlin", "2026-03-29T00:30:00Z"));
        // a range wholly inside the gap does not open that day: the next Sunday
        assertEquals(Instant.parse("2026-04-05T00:00:00Z"), next("sun 02:00-03:00 Europe/Berlin", "2026-03-29T00:30:00Z"));
    }

    @Test
    void theHourRepeatedAtFallBackIsInsideTheRangeBothTimes() throws Exception {
        // 2026-10-25 03:00 CEST -> 02:00 CET: 02:00-03:00 local happens twice (00:00-02:00 UTC)
        String w = "sun 02:00-03:00 Europe/Berlin";
        assertEquals(Instant.parse("2026-10-25T00:00:00Z"), next(w, "2026-10-24T23:00:00Z"));
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), next(w, "2026-10-25T00:30:00Z"), "02:30 CEST");
        assertEquals(Instant.parse("2026-10-25T01:30:00Z"), next(w, "2026-10-25T01:30:00Z"), "02:30 CET");
        assertEquals(Instant.parse("2026-11-01T01:00:00Z"), next(w, "2026-10-25T02:00:00Z"), "closed at 03:00 CET");
    }

    @Test
    void newYorkOpensAtNineLocalEitherSideOfItsDstStart() throws Exception {
        String w = "daily 09:00-17:00 America/New_York";
        assertEquals(Instant.parse("2026-03-07T14:00:00Z"), next(w, "2026-03-07T13:30:00Z"), "09:00 EST");
        assertEquals(Instant.parse("2026-03-08T13:30:00Z"), next(w, "2026-03-08T13:30:00Z"), "09:30 EDT: open");
        assertEquals(Instant.parse("2026-11-01T14:00:00Z"), next(w, "2026-11-01T13:30:00Z"), "back to EST: 09:00 is 14:00 UTC");
    }

    @Test
    void everyParsedWindowOpensWithinAWeek() throws Exception {
        Instant now = Instant.parse("2026-03-02T10:00:00Z");
        for (String w : new String[] {"sun 23:59-24:00 Pacific/Kiritimati", "sat 00:00-00:01 Pacific/Pago_Pago",
                "wed 12:00-11:59 America/New_York"}) {
            Instant at = DeliveryWindow.parse(w).nextOpening(now, ZoneOffset.UTC);
            assertTrue(at != null && !at.isAfter(now.plus(java.time.Duration.ofDays(8))), w + " -> " + at);
        }
    }
}
