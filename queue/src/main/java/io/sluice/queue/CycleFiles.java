package io.sluice.queue;

import net.openhft.chronicle.queue.RollCycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Maps roll cycles to Chronicle's {@code .cq4} files and back. Chronicle names a cycle's file by
 * formatting {@code cycle * lengthInMillis} (epoch 0, UTC) with the roll cycle's date pattern.
 */
final class CycleFiles {
    private final Path dir;
    private final RollCycle rollCycle;

    CycleFiles(Path dir, RollCycle rollCycle) {
        this.dir = dir;
        this.rollCycle = rollCycle;
    }

    Path dir() {
        return dir;
    }

    Path fileFor(int cycle) {
        return dir.resolve(format().format(new Date((long) cycle * rollCycle.lengthInMillis())) + ".cq4");
    }

    /** All cycle files on disk, by cycle. */
    TreeMap<Integer, Path> list() {
        TreeMap<Integer, Path> out = new TreeMap<>();
        SimpleDateFormat f = format();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(".cq4")) {
                    try {
                        long millis = f.parse(name.substring(0, name.length() - 4)).getTime();
                        out.put((int) (millis / rollCycle.lengthInMillis()), p);
                    } catch (ParseException e) {
                        // not one of ours
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    long bytesOnDisk() {
        long total = 0;
        for (Path p : list().values()) {
            try {
                total += Files.size(p);
            } catch (IOException e) {
                // deleted meanwhile
            }
        }
        return total;
    }

    int cycleOf(long index) {
        return rollCycle.toCycle(index);
    }

    private SimpleDateFormat format() {
        SimpleDateFormat f = new SimpleDateFormat(rollCycle.format());
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        f.setLenient(false);
        return f;
    }
}
