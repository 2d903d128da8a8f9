package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.bgtai.cli.Main;
import picocli.CommandLine;

/** Runs {@code bin/bgtai} commands in this JVM through picocli, as the launcher would. */
final class Cli {
    private Cli() {}

    /** Exit code, standard output and error output of one command. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream old = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));   // progress bars and epoch lines
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err + log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    /** Runs a command that must succeed; returns its standard output. */
    static String ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), "bgtai " + String.join(" ", args) + "\n" + r.err());
        return r.out();
    }
}
