package io.sluice.daemon.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Lua scripts of shared limits, read once from the classpath (the .lua files beside this class). */
record LimitScripts(String leaseSlots, String reserveConnections) {

    static LimitScripts load() {
        return new LimitScripts(read("lease-slots.lua"), read("reserve-connections.lua"));
    }

    private static String read(String name) {
        try (InputStream in = LimitScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
