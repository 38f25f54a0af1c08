package io.sluice.dkim;

/** A DKIM signing algorithm: the {@code a=} tag of the signature and the {@code k=} tag of the key record. */
public enum Algorithm {
    /** RFC 6376 §3.3.1: RSASSA-PKCS1-v1_5 over SHA-256. */
    RSA_SHA256("rsa-sha256", "rsa", "SHA256withRSA"),
    /** RFC 8463 §3: PureEdDSA (Ed25519) over the SHA-256 hash of the canonicalized data. */
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String jcaName;

    Algorithm(String tag, String keyType, String jcaName) {
        this.tag = tag;
        this.keyType = keyType;
        this.jcaName = jcaName;
    }

    /** The {@code a=} value, e.g. {@code rsa-sha256}. */
    public String tag() {
        return tag;
    }

    /** The {@code k=} value of the DNS key record, e.g. {@code ed25519}. */
    public String keyType() {
        return keyType;
    }

    String jcaName() {
        return jcaName;
    }
}
