package io.sluice.daemon.engagement;

import io.sluice.daemon.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "several links at once" rule, on a clock the test moves. */
class ClickBurstsTest {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));

    private static Map<String, Boolean> verdicts(List<ClickBursts.Released<String>> released) {
        return released.stream().collect(Collectors.toMap(ClickBursts.Released::click, ClickBursts.Released::burst));
    }

    @Test
    void differentLinksOfOneMessageWithinTheWindowAreAllAMachines() {
        ClickBursts<String> b = new ClickBursts<>(WINDOW, 100, clock);
        assertTrue(b.hold("m1/0", 0, "a").isEmpty(), "held, not yet decided");
        clock.advance(Duration.ofMillis(300));
        b.hold("m1/0", 1, "b");
        clock.advance(Duration.ofMillis(300));
        b.hold("m1/0", 2, "c");
        assertTrue(b.release().isEmpty(), "nothing is released before its window is over");
        clock.advance(Duration.ofMillis(1400)); // 2 s after the first click
        assertEquals(Map.of("a", true), verdicts(b.release()), "the first click is a scanner's too");
        clock.advance(Duration.ofMillis(600));
        assertEquals(Map.of("b", true, "c", true), verdicts(b.release()));
        assertEquals(0, b.held());
    }

    @Test
    void aPersonsClicksAreNotABurst() {
        ClickBursts<String> b = new ClickBursts<>(WINDOW, 100, clock);
        b.hold("m1/0", 0, "first");
        clock.advance(Duration.ofMillis(500));
        b.hold("m1/0", 0, "same link again");
        b.hold("m1/1", 1, "another recipient");
        b.hold("m2/0", 3, "another message");
        clock.advance(Duration.ofSeconds(5));
        b.hold("m1/0", 1, "a second link, later");
        assertEquals(Map.of("first", false, "same link again", false, "another recipient", false,
                "another message", false), verdicts(b.release()));
        clock.advance(WINDOW);
        assertEquals(Map.of("a second link, later", false), verdicts(b.release()));
    }

    @Test
    void twoLinksExactlyTheWindowApartAreABurstAndJustBeyondAreNot() {
        ClickBursts<String> b = new ClickBursts<>(WINDOW, 100, clock);
        b.hold("k", 0, "a");
        clock.advance(WINDOW);
        b.hold("k", 1, "b");
        clock.advance(Duration.ofMillis(1));
        b.hold("k", 2, "c"); // 2.001 s after a, within 2 s of b
        clock.advance(Duration.ofSeconds(3));
        assertEquals(Map.of("a", true, "b", true, "c", true), verdicts(b.release()));

        b.hold("k", 0, "d");
        clock.advance(WINDOW.plusMillis(1));
        b.hold("k", 1, "e");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(Map.of("d", false, "e", false), verdicts(b.release()));
    }

    @Test
    void memoryIsBoundedByReleasingTheOldestAtOnce() {
        ClickBursts<String> b = new ClickBursts<>(WINDOW, 2, clock);
        b.hold("k1", 0, "a");
        b.hold("k1", 1, "b");
        List<ClickBursts.Released<String>> early = b.hold("k2", 0, "c");
        assertEquals(List.of(new ClickBursts.Released<>("a", true)), early, "what was known of it");
        assertEquals(2, b.held());
        assertEquals(Map.of("b", true, "c", false), verdicts(b.releaseAll()));
        assertEquals(0, b.held());
    }

    @Test
    void aZeroWindowTurnsTheRuleOff() {
        ClickBursts<String> b = new ClickBursts<>(Duration.ZERO, 10, clock);
        assertEquals(List.of(new ClickBursts.Released<>("a", false)), b.hold("k", 0, "a"));
        assertEquals(List.of(new ClickBursts.Released<>("b", false)), b.hold("k", 1, "b"));
        assertEquals(0, b.held());
    }
}
