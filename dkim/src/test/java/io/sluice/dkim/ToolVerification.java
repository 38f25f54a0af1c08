package io.sluice.dkim;

/** Lets tests outside this package use the external verifiers. */
public final class ToolVerification {
    private ToolVerification() {
    }

    public static void dkimpyPasses(byte[] msg, String selector, String domain, String txt) throws Exception {
        ExternalVerifier.DKIMPY.assertPasses(msg, selector, domain, txt);
    }

    public static void bothPass(byte[] msg, String selector, String domain, String txt) throws Exception {
        for (ExternalVerifier v : ExternalVerifier.values()) {
            v.assertPasses(msg, selector, domain, txt);
        }
    }
}
