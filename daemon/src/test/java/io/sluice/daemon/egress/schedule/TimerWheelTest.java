package io.sluice.daemon.egress.schedule;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerWheelTest {

    @Test
    void timersFireAtTheirTickNotBefore() {
        TimerWheel<String> wheel = new TimerWheel<>(100, 16, 0);
        wheel.schedule("soon", 250);
        wheel.schedule("now", 0);
        List<String> fired = new ArrayList<>();
        wheel.advance(100, fired::add);
        assertEquals(List.of("now"), fired);
        wheel.advance(299, fired::add);
        assertEquals(List.of("now"), fired, "ticks are 100 ms: never early");
        wheel.advance(300, fired::add);
        assertEquals(List.of("now", "soon"), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void timersBeyondOneTurnWaitForTheirRound() {
        TimerWheel<Integer> wheel = new TimerWheel<>(10, 8, 0); // one turn = 80 ms
        for (int i = 1; i <= 50; i++) {
            wheel.schedule(i, i * 37L); // up to 1850 ms: many rounds ahead
        }
        List<Integer> fired = new ArrayList<>();
        for (long t = 0; t <= 2000; t += 10) {
            int before = fired.size();
            wheel.advance(t, fired::add);
            for (int i = before; i < fired.size(); i++) {
                assertTrue(fired.get(i) * 37L <= t, "fired early: " + fired.get(i) + " at " + t);
                assertTrue(fired.get(i) * 37L > t - 20, "fired late: " + fired.get(i) + " at " + t);
            }
        }
        assertEquals(50, fired.size());
        assertEquals(0, wheel.size());
    }

    @Test
    void aClockJumpOfDaysFiresEverythingDueInOrderAndKeepsTheRest() {
        TimerWheel<String> wheel = new TimerWheel<>(100, 64, 0);
        wheel.schedule("b", 90_000_000L);
        wheel.schedule("a", 5_000L);
        wheel.schedule("later", 500_000_000L);
        List<String> fired = new ArrayList<>();
        wheel.advance(100_000_000L, fired::add);
        assertEquals(List.of("a", "b"), fired);
        assertEquals(1, wheel.size());
        wheel.advance(500_000_000L, fired::add);
        assertEquals(List.of("a", "b", "later"), fired);
    }
}
