package io.sluice.daemon.ingress.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit, counting as it goes: a body without a Content-Length (or
 * one that lies) is refused as soon as it passes the limit, never held whole first.
 */
final class BoundedBody {
    private BoundedBody() {
    }

    /** The body passed the limit; what was read of it is dropped. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    static byte[] read(InputStream in, long limit) throws IOException, TooLarge {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new TooLarge();
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }
}
