package io.sluice.daemon.outcome.suppression;

/**
 * How the index hashes a (tenant, key) pair: the tenant and the key apart, so that one address
 * hash serves the tenant's list and the global one, then combined. Production uses
 * {@link #FNV}; tests use a hashing under which every key collides, to show that a collision
 * never decides a lookup (each hit is confirmed against the change log).
 */
interface KeyHashing {
    /** FNV-1a over the characters (ASCII lower-cased on the fly, no allocation), mixed by murmur3's fmix64. */
    KeyHashing FNV = new KeyHashing() {
        @Override
        public long tenantHash(CharSequence tenant) {
            return SuppressionIndex.tenantHash(tenant);
        }

        @Override
        public long keyHash(CharSequence key, int from) {
            return SuppressionIndex.keyHash(key, from);
        }
    };

    long tenantHash(CharSequence tenant);

    /** The hash of {@code key} from index {@code from} on (an address, or its {@code @domain} part). */
    long keyHash(CharSequence key, int from);

    default long combine(long tenantHash, long keyHash) {
        return SuppressionIndex.combine(tenantHash, keyHash);
    }

    default long hash(CharSequence tenant, CharSequence key, int from) {
        return combine(tenantHash(tenant), keyHash(key, from));
    }
}
