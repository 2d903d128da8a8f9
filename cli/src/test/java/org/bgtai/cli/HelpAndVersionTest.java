package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help / -h with its usage and --version / -V with the version, exit code 0. */
class HelpAndVersionTest {
    /** Every command of the tree, by its argument path (e.g. ["l2g", "train"]); the root has the empty path. */
    static Map<List<String>, CommandLine> tree() {
        Map<List<String>, CommandLine> all = new LinkedHashMap<>();
        walk(Main.commandLine(), List.of(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, Map<List<String>, CommandLine> all) {
        all.put(path, cl);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) continue;   // picocli's help command has no --version of its own
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            walk(e.getValue(), sub, all);
        }
    }

    /** {exit code, stdout (picocli's own and System.out), stderr}. */
    static Object[] run(List<String> args) {
        PrintStream old = System.out;
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            StringWriter out = new StringWriter(), err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args.toArray(new String[0]));
            return new Object[] {code, out + sysOut.toString(StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(old);
        }
    }

    static List<String> plus(List<String> path, String arg) {
        List<String> a = new ArrayList<>(path);
        a.add(arg);
        return a;
    }

    @Test
    void theTreeHasTheNestedCommands() {
        var paths = tree().keySet();
        for (List<String> p : List.of(List.of("train"), List.of("l2g", "train"), List.of("l2g", "translate"), List.of("l2g", "eval"),
            List.of("experiments"), List.of("bench"), List.of("embed"), List.of("retrieve"), List.of("probe")))
            assertTrue(paths.contains(p), "missing command " + p + " in " + paths);
    }

    @Test
    void everyCommandAnswersHelp() {
        for (var e : tree().entrySet()) {
            String name = e.getValue().getCommandSpec().qualifiedName();
            for (String flag : List.of("--help", "-h")) {
                Object[] r = run(plus(e.getKey(), flag));
                assertEquals(0, r[0], name + " " + flag + ": " + r[2]);
                String out = (String) r[1];
                assertTrue(out.contains("Usage: " + name), name + " " + flag + " printed no usage:\n" + out);
                assertTrue(out.contains("--version"), name + " " + flag + " does not list --version:\n" + out);
                assertEquals("", r[2], name + " " + flag + " wrote to stderr");
            }
        }
    }

    @Test
    void everyCommandAnswersVersion() {
        for (var e : tree().entrySet()) {
            String name = e.getValue().getCommandSpec().qualifiedName();
            for (String flag : List.of("--version", "-V")) {
                Object[] r = run(plus(e.getKey(), flag));
                assertEquals(0, r[0], name + " " + flag + ": " + r[2]);
                String out = (String) r[1];
                assertTrue(out.startsWith("bgtai 0.") || out.startsWith("bgtai 1."), name + " " + flag + ":\n" + out);
                assertFalse(out.contains("${"), "the version was not filtered by Maven:\n" + out);
                assertTrue(out.contains("Java " + Runtime.version()), out);
                assertTrue(out.contains("Vector API: present"), "tests run with --add-modules jdk.incubator.vector:\n" + out);
            }
        }
    }

    @Test
    void versionNamesTheFlagWhenTheVectorApiIsAbsent() {
        String[] lines = VersionProvider.lines(false);
        assertTrue(lines[2].contains("absent") && lines[2].contains("--add-modules jdk.incubator.vector"), lines[2]);
    }

    @Test
    void benchmarkOptionsAfterTheNameStillGoToTheBenchmark() {
        // --help after the name is the benchmark's own (its usage line), not picocli's
        for (String bench : List.of("gemm", "train-step", "dtw", "logmel")) {
            Object[] r = run(List.of("bench", bench, "--help"));
            assertEquals(0, r[0], bench + ": " + r[2]);
            assertTrue(((String) r[1]).contains("Bench [--"), bench + " --help:\n" + r[1]);
            assertFalse(((String) r[1]).contains("Usage: bgtai bench"), bench + " --help gave picocli's usage:\n" + r[1]);
        }
        // an option the benchmark does not know is its error, not picocli's "Unknown option"
        Object[] r = run(List.of("bench", "dtw", "--no-such-option"));
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("unknown argument '--no-such-option'"), (String) r[2]);
    }
}
