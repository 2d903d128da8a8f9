package org.bgtai.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code bin/bgtai} command line. */
@Command(name = "bgtai", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "BGTAI for the JVM: train and run multimodal (text, audio, image, gloss) models in pure Java.",
    subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, EmbedCommand.class, RetrieveCommand.class, GenerateCommand.class,
        L2gCommand.class, ProbeCommand.class, ExperimentsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@code bin/bgtai} runs it: everything after a benchmark's name goes to the
     * benchmark, and a failing command prints {@code bgtai: MESSAGE} and exits with 1 (the stack
     * trace with {@code BGTAI_DEBUG} set). Tests run commands in-process through it.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("bench").setStopAtPositional(true);
        return cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("bgtai: " + ex.getMessage());
            if (System.getenv("BGTAI_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            else cmd.getErr().println("(set BGTAI_DEBUG=1 for the stack trace)");
            return 1;
        });
    }
}
