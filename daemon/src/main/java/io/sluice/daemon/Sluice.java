package io.sluice.daemon;

import io.micronaut.runtime.Micronaut;

public final class Sluice {
    public static void main(String[] args) {
        Micronaut.run(Sluice.class, args);
    }
}
