package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Bad input gets one line on stderr and exit status 2. */
class CommandLineTest {
    private String lastError;

    private int run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            return SluiceBench.commandLine().execute(args);
        } finally {
            System.setErr(err);
            lastError = buf.toString().trim();
        }
    }

    private void assertOneLine(String expected) {
        assertTrue(lastError.startsWith("sluice-bench: "), lastError);
        assertTrue(lastError.contains(expected), lastError);
        assertEquals(1, lastError.lines().count(), lastError);
    }

    @Test
    void unknownOption() {
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:25", "-n", "1", "--frobnicate"));
        assertOneLine("Unknown option: '--frobnicate'");
    }

    @Test
    void unreachableTarget() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:" + port, "-n", "1"));
        assertOneLine("cannot connect to the SMTP server at 127.0.0.1:" + port);
    }

    @Test
    void zeroRate() {
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:25", "-n", "1", "--rate", "0"));
        assertOneLine("--rate must be greater than 0");
    }

    @Test
    void badSizeAndDomainWeight() {
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:25", "-n", "1", "--size", "lots"));
        assertOneLine("--size");
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:25", "-n", "1", "--domain", "gmail.test:many"));
        assertOneLine("whole number");
    }

    @Test
    void missingCountAndDuration() {
        assertEquals(2, run("inject", "--smtp", "127.0.0.1:25"));
        assertOneLine("give --count N or --duration D");
    }
}
