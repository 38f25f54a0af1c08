package io.sluice.daemon.operate.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

/** A command group run without a subcommand: a usage error (exit 2), like any other. */
abstract class NeedsSubcommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
