package io.sluice.protocol.address;

/** An address is not a valid RFC 5321 Mailbox; the message says what is wrong with it. */
public final class AddressSyntaxException extends Exception {
    private final String address;

    public AddressSyntaxException(String address, String problem) {
        super(problem + ": " + address);
        this.address = address;
    }

    /** The offending input as given. */
    public String address() {
        return address;
    }
}
