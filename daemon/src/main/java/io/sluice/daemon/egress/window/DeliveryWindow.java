package io.sluice.daemon.egress.window;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When mail may go out: one or more clauses of days and hour ranges, read in one time zone (or in
 * each recipient's own). The text form is
 * <pre>  clause *( ";" clause ) SP zone
 *  clause = days SP range *( "," range )
 *  days   = "daily" / day ["-" day] *( "," day ["-" day] )      day = mon / tue / ... / sun
 *  range  = HH:MM "-" HH:MM                                    end 24:00 allowed
 *  zone   = an IANA zone name (Europe/Paris, UTC) / "recipient"</pre>
 * e.g. {@code mon-fri 09:00-12:00,14:00-17:30 Europe/Paris} or
 * {@code mon-fri 18:00-08:00; sat,sun 00:00-24:00 recipient}. A range whose end is not after its
 * start crosses midnight: it opens on the named day and closes on the next. Ranges are half-open
 * {@code [start, end)}. Local times are turned into instants by {@link ZonedDateTime#of}: a start
 * inside a spring-forward gap opens when the gap ends; in a fall-back overlap the earlier offset
 * is taken, so an hour repeated by the clock is inside the range both times.
 *
 * @param zone the zone, or null when each recipient's own zone applies
 */
public record DeliveryWindow(List<Clause> clauses, ZoneId zone) {
    /** The word that stands for the recipient's own zone. */
    public static final String RECIPIENT = "recipient";

    private static final Pattern RANGE = Pattern.compile("([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final int MAX_TEXT = 500;

    /** Days of the week and the ranges open on each of them. */
    public record Clause(Set<DayOfWeek> days, List<Range> ranges) {
        public Clause {
            days = Set.copyOf(days);
            ranges = List.copyOf(ranges);
        }
    }

    /** Minutes after local midnight (end up to 1440): {@code end <= start} means the range ends the next day. */
    public record Range(int startMinute, int endMinute) {
        boolean crossesMidnight() {
            return endMinute <= startMinute;
        }
    }

    public DeliveryWindow {
        clauses = List.copyOf(clauses);
    }

    public boolean recipientZone() {
        return zone == null;
    }

    /**
     * The first instant at or after {@code now} inside the window ({@code now} itself when it is
     * open), reading days and hours in the window's zone, or in {@code recipientZone} when the
     * window follows the recipient. Looks at most a week ahead, which is enough: every clause
     * names a day and a range, so a parsed window opens in every week; should a DST gap swallow
     * every range of the week, null.
     */
    public Instant nextOpening(Instant now, ZoneId recipientZone) {
        ZoneId z = zone != null ? zone : recipientZone;
        LocalDate today = now.atZone(z).toLocalDate();
        Instant best = null;
        for (int offset = -1; offset <= 8; offset++) { // -1: a range from yesterday may run past midnight
            LocalDate date = today.plusDays(offset);
            for (Clause c : clauses) {
                if (!c.days().contains(date.getDayOfWeek())) {
                    continue;
                }
                for (Range r : c.ranges()) {
                    Instant open = ZonedDateTime.of(date.atStartOfDay().plusMinutes(r.startMinute()), z).toInstant();
                    LocalDate endDate = r.crossesMidnight() ? date.plusDays(1) : date;
                    // the later offset: an hour the clock repeats at fall-back is in the range both times
                    Instant close = ZonedDateTime.of(endDate.atStartOfDay().plusMinutes(r.endMinute()), z)
                            .withLaterOffsetAtOverlap().toInstant();
                    if (!close.isAfter(open)) {
                        continue; // swallowed by a spring-forward gap
                    }
                    if (!now.isBefore(open) && now.isBefore(close)) {
                        return now;
                    }
                    if (open.isAfter(now) && (best == null || open.isBefore(best))) {
                        best = open;
                    }
                }
            }
        }
        return best;
    }

    /** Parses the text form; a window that could never open is refused with the reason. */
    public static DeliveryWindow parse(String text) throws WindowSyntaxException {
        if (text == null || text.isBlank()) {
            throw new WindowSyntaxException("empty: give days, hours and a zone, e.g. \"mon-fri 09:00-17:00 Europe/Paris\"");
        }
        if (text.length() > MAX_TEXT) {
            throw new WindowSyntaxException("longer than " + MAX_TEXT + " characters");
        }
        String t = text.strip().replaceAll("\\s+", " ").replaceAll(" ?, ?", ",").replaceAll(" ?; ?", "; ");
        int lastSpace = t.lastIndexOf(' ');
        if (lastSpace < 0) {
            throw new WindowSyntaxException("\"" + t + "\": give days, hours and a zone, e.g. \"mon-fri 09:00-17:00 Europe/Paris\"");
        }
        String zoneName = t.substring(lastSpace + 1);
        if (RANGE.matcher(zoneName.split(",")[0]).matches()) {
            throw new WindowSyntaxException("the zone is missing: end with an IANA name such as Europe/Paris, or "
                    + RECIPIENT);
        }
        ZoneId zone = RECIPIENT.equalsIgnoreCase(zoneName) ? null : zone(zoneName);
        List<Clause> clauses = new ArrayList<>();
        for (String c : t.substring(0, lastSpace).split(";", -1)) {
            clauses.add(clause(c.strip()));
        }
        return new DeliveryWindow(clauses, zone);
    }

    /** An IANA zone name as {@link ZoneId}; offsets and abbreviations are refused (they know no DST). */
    public static ZoneId zone(String name) throws WindowSyntaxException {
        String n = name == null ? "" : name.strip();
        if (!ZoneId.getAvailableZoneIds().contains(n)) {
            throw new WindowSyntaxException("\"" + n + "\" is not an IANA time zone name (such as Europe/Paris, "
                    + "America/New_York or UTC; names are case-sensitive)");
        }
        return ZoneId.of(n);
    }

    private static Clause clause(String c) throws WindowSyntaxException {
        String[] parts = c.split("\\s+");
        if (c.isEmpty() || parts.length != 2) {
            throw new WindowSyntaxException("\"" + c + "\": a clause is days then hour ranges, e.g. \"mon-fri 09:00-17:00\"");
        }
        Set<DayOfWeek> days = days(parts[0].toLowerCase(Locale.ROOT));
        List<Range> ranges = new ArrayList<>();
        for (String r : parts[1].split(",", -1)) {
            ranges.add(range(r));
        }
        return new Clause(days, ranges);
    }

    private static Set<DayOfWeek> days(String d) throws WindowSyntaxException {
        if (d.equals("daily")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String item : d.split(",", -1)) {
            String[] ends = item.split("-", -1);
            if (ends.length > 2) {
                throw new WindowSyntaxException("\"" + item + "\": a day range is two days, e.g. mon-fri");
            }
            int from = day(ends[0]);
            int to = ends.length == 2 ? day(ends[1]) : from;
            for (int i = from; ; i = (i + 1) % 7) { // fri-mon wraps over the weekend
                out.add(DayOfWeek.of(i + 1));
                if (i == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static int day(String name) throws WindowSyntaxException {
        int i = DAY_NAMES.indexOf(name);
        if (i < 0) {
            throw new WindowSyntaxException("\"" + name + "\" is not a day: use mon tue wed thu fri sat sun, "
                    + "ranges such as mon-fri, or daily");
        }
        return i;
    }

    private static Range range(String r) throws WindowSyntaxException {
        Matcher m = RANGE.matcher(r);
        if (!m.matches()) {
            throw new WindowSyntaxException("\"" + r + "\" is not an hour range such as 09:00-17:00");
        }
        int start = minute(r, m.group(1), m.group(2), false);
        int end = minute(r, m.group(3), m.group(4), true);
        if (start == end || (start == 0 && end == 0)) {
            throw new WindowSyntaxException("\"" + r + "\" is an empty hour range (it never opens); "
                    + "a whole day is 00:00-24:00");
        }
        return new Range(start, end);
    }

    private static int minute(String r, String hh, String mm, boolean end) throws WindowSyntaxException {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new WindowSyntaxException("\"" + r + "\": " + hh + ":" + mm + " is not a time of day"
                    + (end ? " (00:00 to 24:00)" : " (00:00 to 23:59)"));
        }
        return h * 60 + m;
    }
}
