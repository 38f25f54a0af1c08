package io.sluice.bench;

import io.sluice.bench.inject.InjectCommand;
import io.sluice.bench.run.RunCommand;
import io.sluice.bench.sink.SinkCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice-bench inject | sink | run}. Bad input or an unreachable target gives one line on
 * stderr and exit status 2; a run that could not deliver anything exits non-zero too.
 */
@Command(name = "sluice-bench", mixinStandardHelpOptions = true, version = "sluice-bench 0.1.0",
        description = "The Sluice load tool: injector, provider-like sink, and measured runs.",
        subcommands = {InjectCommand.class, SinkCommand.class, RunCommand.class})
public final class SluiceBench implements Runnable {
    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command (inject, sink or run)");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SluiceBench());
        cl.setParameterExceptionHandler((ex, args) -> {
            System.err.println("sluice-bench: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            if (ex instanceof UserError) {
                System.err.println("sluice-bench: " + ex.getMessage());
                return 2;
            }
            System.err.println("sluice-bench: " + ex);
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        int status = commandLine().execute(args);
        System.exit(status);
    }
}
