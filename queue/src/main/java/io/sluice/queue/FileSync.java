package io.sluice.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * fsync through a file descriptor. On Linux the page cache is per inode, so forcing any
 * descriptor of a file also writes back pages dirtied through Chronicle's mappings; forcing the
 * directory makes a newly created cycle file's name durable.
 */
final class FileSync {
    private FileSync() {}

    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
