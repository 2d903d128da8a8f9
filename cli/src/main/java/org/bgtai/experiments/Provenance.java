package org.bgtai.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a result came from, written at the head of every experiment's {@code results.json} and
 * {@code results.md}: the exact command, the git commit (and whether the tree had uncommitted
 * changes), the seeds, the wall time, the machine and the date.
 *
 * @param command   the command line that reproduces the result ({@code bin/bgtai experiments ...})
 * @param seeds     how many seeds each arm ran (mean ± sample std over them)
 * @param wallSeconds wall time of the whole experiment in this call
 */
public record Provenance(String command, String commit, boolean dirty, int seeds, double wallSeconds, String machine, String date) {
    private static volatile String current;
    private static volatile String[] startCommit;

    /**
     * Records the command line of this process ({@code bin/bgtai} and its arguments) and the git
     * commit at its start; the CLI calls it before running an experiment, so that commits made
     * while a long experiment runs are not attributed to it.
     */
    public static void setCommand(String commandLine) {
        current = jvmOptions() + commandLine;
        startCommit = gitState();
    }

    /**
     * The experiment knobs set as system properties ({@code -Dbgtai.fig2.*} and the like, e.g. {@code
     * bgtai.fig2.clock}), as the launcher's {@code BGTAI_JVM_OPTS='...' } prefix; empty when none.
     */
    static String jvmOptions() {
        StringBuilder b = new StringBuilder();
        System.getProperties().stringPropertyNames().stream().sorted()
            .filter(k -> KNOBS.stream().anyMatch(k::startsWith))
            .forEach(k -> b.append(b.isEmpty() ? "" : " ").append("-D").append(k).append('=').append(System.getProperty(k)));
        return b.isEmpty() ? "" : "BGTAI_JVM_OPTS='" + b + "' ";
    }

    /** Prefixes of the system properties that change an experiment's result. */
    private static final List<String> KNOBS = List.of("bgtai.fig2.", "bgtai.fig3.", "bgtai.table3.", "bgtai.table4.", "bgtai.joint.", "bgtai.vector",
        "jdk.incubator.vector.VectorMathLibrary");

    private static String[] gitState() {
        String status = git("status", "--porcelain", "--untracked-files=no");
        return new String[] {git("rev-parse", "--short", "HEAD"), String.valueOf(!status.isEmpty() && !status.equals("unknown"))};
    }

    /**
     * The provenance of an experiment that ran for {@code wallSeconds}: the command set by
     * {@link #setCommand} (else {@code fallbackCommand}), the git commit (at {@link #setCommand}, else now) and the machine.
     */
    public static Provenance of(String fallbackCommand, int seeds, double wallSeconds) {
        String[] git = startCommit != null ? startCommit : gitState();
        return new Provenance(current != null ? current : fallbackCommand, git[0], Boolean.parseBoolean(git[1]), seeds, wallSeconds, thisMachine(),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** Cores, CPU model and Java version of this machine. */
    public static String thisMachine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", Java " + Runtime.version().feature();
    }

    /** The fields for results.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("git_commit", commit + (dirty ? "+uncommitted" : ""));
        m.put("seeds", seeds);
        m.put("wall_seconds", AlignmentExperiment.num(wallSeconds));
        m.put("machine", machine);
        m.put("date", date);
        return m;
    }

    /** The header lines of results.md (Markdown line breaks), ending with a blank line. */
    public String markdown() {
        return String.format(Locale.ROOT, "Command: `%s`  %nGit commit: `%s`%s  %nSeeds: %d (mean ± sample std over seeds)  %nWall time: %.0f s  %nMachine: %s  %nDate: %s%n%n",
            command, commit, dirty ? " (with uncommitted changes)" : "", seeds, wallSeconds, machine, date);
    }

    /** Output of a git command in the working directory, "unknown" when git fails. */
    static String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? s : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** The CPU model from /proc/cpuinfo, else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
