package io.sluice.queue;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/** Chronicle spreads its roll cycles over several enums; operators just write a name. */
final class RollCycleNames {
    static {
        Spool.disableChronicleAnalytics();
    }

    private RollCycleNames() {}

    static RollCycle resolve(String name) {
        for (Class<? extends Enum<?>> type : java.util.List.<Class<? extends Enum<?>>>of(RollCycles.class,
                LegacyRollCycles.class, LargeRollCycles.class, SparseRollCycles.class, TestRollCycles.class)) {
            for (Enum<?> e : type.getEnumConstants()) {
                if (e.name().equals(name)) {
                    return (RollCycle) e;
                }
            }
        }
        throw new IllegalArgumentException("unknown Chronicle roll cycle: " + name);
    }
}
