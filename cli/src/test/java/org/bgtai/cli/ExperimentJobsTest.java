package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link ExperimentJobs}, the runner behind {@code experiments all --jobs N}, with small Java
 * programs as children: every job runs, its output lands in its own log, its environment reaches
 * it, and a failing job is reported without stopping the others.
 */
class ExperimentJobsTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryJobWithItsLogAndEnvironmentAndReportsFailures() throws Exception {
        Path child = dir.resolve("Child.java");
        Files.writeString(child, """
            class Child {
                public static void main(String[] a) {
                    System.out.println("job " + a[0] + " sees X=" + System.getenv("BGTAI_TEST_X"));
                    System.exit(Integer.parseInt(a[1]));
                }
            }
            """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int[] exits = {0, 3, 0};
        List<ExperimentJobs.Job> jobs = new ArrayList<>();
        for (int i = 0; i < exits.length; i++)
            jobs.add(new ExperimentJobs.Job("j" + i, List.of(java, child.toString(), "j" + i, String.valueOf(exits[i])),
                Map.of("BGTAI_TEST_X", "v" + i), dir.resolve("logs").resolve("j" + i + ".log")));
        List<ExperimentJobs.Outcome> out = ExperimentJobs.run(jobs, 2, null);
        assertEquals(3, out.size(), "every job reports, the failed one included: " + out);
        for (int i = 0; i < exits.length; i++) {
            String name = "j" + i;
            ExperimentJobs.Outcome o = out.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            assertEquals(exits[i], o.exitCode(), name);
            assertEquals(exits[i] == 0, o.ok(), name);
            assertTrue(o.seconds() > 0, name);
            assertEquals("job " + name + " sees X=v" + i, Files.readString(o.log()).strip(), "log of " + name);
        }
    }

    @Test
    void refusesNoParallelism() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExperimentJobs.run(List.of(), 0, null));
        assertTrue(e.getMessage().contains("--jobs"), e.getMessage());
    }

    /** The orders in which {@code all --jobs N} starts the experiments hold every experiment of {@code all} once. */
    @Test
    void longestFirstOrdersAreOrdersOfAll() {
        for (List<String> order : List.of(ExperimentsCommand.LONGEST_FIRST, ExperimentsCommand.LONGEST_FIRST_QUICK)) {
            assertEquals(ExperimentsCommand.ALL.size(), order.size(), order.toString());
            assertEquals(java.util.Set.copyOf(ExperimentsCommand.ALL), java.util.Set.copyOf(order), order.toString());
        }
    }

    @Test
    void jobsAppliesToAllOnly() {
        var err = new java.io.StringWriter();
        int code = new CommandLine(new ExperimentsCommand()).setErr(new java.io.PrintWriter(err))
            .setExecutionExceptionHandler((ex, cl, pr) -> {
                cl.getErr().println(ex.getMessage());
                return 1;
            }).execute("fig2", "--jobs", "2", "--out", dir.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("--jobs applies to 'all' only"), err.toString());
    }
}
