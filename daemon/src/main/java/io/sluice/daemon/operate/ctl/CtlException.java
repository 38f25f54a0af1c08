package io.sluice.daemon.operate.ctl;

/** A command that cannot finish, with the exit code scripts see (1 refused/not found, 3 cannot connect). */
final class CtlException extends RuntimeException {
    static final int REFUSED = 1;
    static final int CANNOT_CONNECT = 3;

    private final int exitCode;

    CtlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
