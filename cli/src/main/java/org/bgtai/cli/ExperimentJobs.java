package org.bgtai.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.bgtai.nn.train.ProgressBar;

/**
 * Runs jobs as child processes, a given number at a time, each with its output in its own log:
 * how {@code experiments all --jobs N} runs experiments side by side. The small models of the
 * experiments keep two cores busy only part of the time, so on two cores two experiments with one
 * kernel thread each finish sooner than the same two in turn with two threads each.
 *
 * <p>Jobs start in the order given (put the longest first: a long job started last keeps a core
 * busy alone at the end). A job that fails does not stop the others; {@link #run} reports every
 * outcome, and the caller names the failed ones and their logs. When this JVM exits (Ctrl-C
 * included), the children still running are stopped.
 */
final class ExperimentJobs {
    /**
     * @param name    what the job is called in progress lines and outcomes
     * @param command the child's command line
     * @param env     variables added to the child's environment
     * @param log     where the child's standard output and error go (overwritten)
     */
    record Job(String name, List<String> command, Map<String, String> env, Path log) {}

    /** How a job ended: its exit code (0 = success) and its wall time. */
    record Outcome(String name, int exitCode, double seconds, Path log) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private ExperimentJobs() {}

    /**
     * This JVM's launch command up to the main class: the java binary, the JVM options (module
     * flags, {@code -D} knobs, heap size) and the class path, so that a child runs the same code
     * with the same settings.
     */
    static List<String> thisJvm() {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!a.startsWith("-javaagent:") && !a.startsWith("-agentlib:")) c.add(a);   // a debugger or coverage agent stays with the parent
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        return c;
    }

    /**
     * Runs {@code jobs}, at most {@code parallel} at once, and returns their outcomes in the order
     * they finished; each finished job is one step of {@code bar} (may be null).
     */
    static List<Outcome> run(List<Job> jobs, int parallel, ProgressBar bar) throws IOException, InterruptedException {
        if (parallel < 1) throw new IllegalArgumentException("--jobs must be >= 1, got " + parallel);
        Deque<Job> queue = new ArrayDeque<>(jobs);
        Map<Job, Process> running = new ConcurrentHashMap<>();   // read by the shutdown hook
        Map<Job, Long> started = new HashMap<>();
        List<Outcome> done = new ArrayList<>();
        Thread stopRunning = new Thread(() -> running.values().forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }));
        Runtime.getRuntime().addShutdownHook(stopRunning);
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                while (running.size() < parallel && !queue.isEmpty()) {
                    Job j = queue.poll();
                    if (j.log().getParent() != null) Files.createDirectories(j.log().getParent());
                    ProcessBuilder pb = new ProcessBuilder(j.command()).redirectErrorStream(true).redirectOutput(j.log().toFile());
                    pb.environment().putAll(j.env());
                    started.put(j, System.nanoTime());
                    running.put(j, pb.start());
                    System.err.printf(java.util.Locale.ROOT, "=== started %s (log: %s)%n", j.name(), j.log());
                }
                CompletableFuture.anyOf(running.values().stream().map(Process::onExit).toArray(CompletableFuture[]::new)).join();
                for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isAlive()) continue;
                    it.remove();
                    Job j = e.getKey();
                    Outcome o = new Outcome(j.name(), e.getValue().waitFor(), (System.nanoTime() - started.get(j)) / 1e9, j.log());
                    done.add(o);
                    if (bar != null) bar.step(1, "%s %s in %.0f s", j.name(), o.ok() ? "done" : "FAILED (exit " + o.exitCode() + ")", o.seconds());
                }
            }
        } finally {
            stopRunning.run();
            try {
                Runtime.getRuntime().removeShutdownHook(stopRunning);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
            }
        }
        return done;
    }
}
