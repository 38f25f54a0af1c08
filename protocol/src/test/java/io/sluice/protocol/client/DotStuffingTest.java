package io.sluice.protocol.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DotStuffingTest {

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void aCopiedMessageIsStuffedAsTheSlicedOneByteForByte() {
        Random random = new Random(14);
        byte[] alphabet = ".\r\nab.".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 20_000; i++) {
            byte[] prefix = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(12)];
            byte[] content = new byte[random.nextInt(40)];
            for (byte[] part : new byte[][] {prefix, content}) {
                for (int k = 0; k < part.length; k++) {
                    part[k] = alphabet[random.nextInt(alphabet.length)];
                }
            }
            byte[] sliced = bytes(DotStuffing.encode(prefix, content));
            byte[] copied = bytes(DotStuffing.encode(prefix, content, PooledByteBufAllocator.DEFAULT));
            assertArrayEquals(sliced, copied, () -> new String(prefix, StandardCharsets.US_ASCII) + "|"
                    + new String(content, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theCopyStuffsEveryLineStartAndEndsTheData() {
        byte[] out = bytes(DotStuffing.encode("X: y\r\n".getBytes(StandardCharsets.US_ASCII),
                ".a\r\nb\n.c\r\n..".getBytes(StandardCharsets.US_ASCII), PooledByteBufAllocator.DEFAULT));
        assertEquals("X: y\r\n..a\r\nb\n..c\r\n...\r\n.\r\n", new String(out, StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageOverTheCopyLimitIsSentAsSlicesOfTheCallersArray() {
        byte[] content = new byte[DotStuffing.COPY_MAX + 1];
        java.util.Arrays.fill(content, (byte) 'a');
        ByteBuf b = DotStuffing.encode(new byte[0], content, PooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(true, b instanceof io.netty.buffer.CompositeByteBuf, "not copied");
            assertEquals(content.length + 2 + 3, b.readableBytes());
        } finally {
            b.release();
        }
    }
}
