package org.bgtai.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/bgtai experiments NAME [--seeds N] [--out DIR] [--quick]}: runs one of the paper's experiments. */
@Command(name = "experiments", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run an experiment (full runs write results/NAME, --quick ones reports/experiments/NAME): all (every one below, two at a time "
    + "on 2 or more cores (--jobs), writing all-seconds.json), bridge (BGTAI vs UniBriVL on the built-in world and AV-Digits, "
    + "with the ablations: DS-Net terms, selection, corrupted pairs, gloss from ground truth), alignment (DS-Net / Result Filter aligning gloss with the audio and the image strip of digit strings), "
    + "l2g-audio (Langue2Gloss audio -> gloss on spoken digit strings), table2 (FSDD classification, digit-string retrieval), "
    + "table3 (audio captioning of world sounds and spoken digit strings: BLEU-1/4, ROUGE-L, CIDEr-D, METEOR), table5 (emergent audio-text retrieval), table4 (joint-objective ablation), "
    + "fig2 (accuracy per epoch under one wall-clock budget), fig3 (sound-to-image generation on the built-in world and AV-Digits).")
final class ExperimentsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name: all, bridge, alignment, l2g-audio, table2, table3, table5, table4, fig2, fig3")
    String name;

    @Option(names = "--seeds", description = "number of seeds (default 3; fig3 and --quick: 1)")
    Integer seeds;

    @Option(names = "--seed", description = "fig3: the first seed (default 1)")
    long seed = 1;

    @Option(names = "--model", description = "fig3: a saved BGTAI world model (e.g. reports/demo/model.safetensors from bin/bgtai demo) instead of training one; runs the built-in world only")
    Path model;

    @Option(names = "--out", description = "output folder (default results/NAME, with --quick reports/experiments/NAME; for all and table2: the folder holding NAME/)")
    Path out;

    @Option(names = "--quick", description = "a small end-to-end version (about 1-3 minutes each; writes reports/experiments/NAME)")
    boolean quick;

    @Option(names = "--epochs", description = "table2/table5: training epochs of every model (default 20, --quick 3)")
    Integer epochs;

    @Option(names = "--data-dir", description = "folder holding fsdd/ and mnist/ (default: $BGTAI_SHARED/data, else ../shared/data; fig3 skips AV-Digits when the default folder lacks them)")
    Path dataDir;

    @Option(names = "--resume", description = "l2g-audio, table4, fig2, fig3: continue each run from its checkpoint under the output folder")
    boolean resume;

    @Option(names = "--jobs", description = "all: how many experiments run at once, each in its own JVM with cores/jobs kernel threads and its output "
        + "in OUT/logs/NAME.log; 1 = in turn, in this JVM, output here (default: 2 where there are 2 or more cores)")
    Integer jobs;

    @Spec
    CommandSpec spec;

    /** Set on the child JVMs of {@code all --jobs N}: the command that started them, for each result's provenance. */
    static final String RUN_BY = "bgtai.experiments.runBy";

    /** What {@code all} runs, in this order (table2 writes table5 too). */
    static final List<String> ALL = List.of("table2", "table3", "table4", "fig2", "fig3", "alignment", "l2g-audio", "bridge");

    @Override
    public Integer call() throws Exception {
        // originalArgs is the whole command line when run through bin/bgtai (it starts with "experiments"), the subcommand's own when run alone
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String typed = "bin/bgtai " + (!args.isEmpty() && args.get(0).equals("experiments") ? "" : "experiments ") + String.join(" ", args);
        // full runs write the committed results; --quick ones a scratch folder, so they never overwrite them
        Path root = out != null ? out : quick ? Path.of("reports/experiments") : Path.of("results");
        if (epochs != null && !name.equals("table2") && !name.equals("table5")) throw new IllegalArgumentException("--epochs applies to table2/table5 only");
        if (!name.equals("all")) {
            String runBy = System.getProperty(RUN_BY);
            if (jobs != null) throw new IllegalArgumentException("--jobs applies to 'all' only");
            org.bgtai.experiments.Provenance.setCommand(runBy == null ? typed : commandOf(name, runBy));
            runOne(name, out != null ? out : root.resolve(name), root);
            return 0;
        }
        if (model != null) throw new IllegalArgumentException("--model applies to fig3 alone, not to 'all'");
        long t0 = System.nanoTime();
        java.util.Map<String, Object> seconds = new java.util.LinkedHashMap<>();
        // two experiments side by side with one kernel thread each beat one at a time with two threads: the models are small
        int jobs = this.jobs != null ? this.jobs : Math.min(2, org.bgtai.tensor.Parallel.threads());
        if (jobs < 1) throw new IllegalArgumentException("--jobs must be >= 1, got " + jobs);
        seconds.put("jobs", jobs);
        if (jobs == 1) {
            for (String e : ALL) {
                long t = System.nanoTime();
                System.err.printf(java.util.Locale.ROOT, "=== experiments all: %s (%d of %d)%n", e, ALL.indexOf(e) + 1, ALL.size());
                org.bgtai.experiments.Provenance.setCommand(commandOf(e, typed));
                runOne(e, root.resolve(e), root);
                seconds.put(e, Math.round((System.nanoTime() - t) / 1e9));
            }
        }
        List<String> failed = jobs == 1 ? List.of() : inChildren(root, typed, jobs, seconds);
        seconds.put("total", Math.round((System.nanoTime() - t0) / 1e9));
        org.bgtai.tensor.io.Json.writeFile(root.resolve("all-seconds.json"), seconds);
        System.out.println("experiments all: seconds per experiment " + org.bgtai.tensor.io.Json.write(seconds));
        if (!failed.isEmpty())
            throw new IllegalStateException("experiments all: " + failed.size() + " of " + ALL.size() + " failed: " + String.join("; ", failed)
                + "; the others' results are written. Read the logs, mend, and run the failed ones alone");
        return 0;
    }

    static final List<String> RESUMABLE = List.of("l2g-audio", "table4", "fig2", "fig3");

    /**
     * {@link #ALL}, longest first (from the wall times of full and of quick runs on 2 cores), the
     * order in which {@code --jobs} starts them.
     */
    static final List<String> LONGEST_FIRST = List.of("table2", "bridge", "table4", "table3", "fig2", "fig3", "l2g-audio", "alignment"),
        LONGEST_FIRST_QUICK = List.of("fig3", "table4", "fig2", "bridge", "table3", "table2", "l2g-audio", "alignment");

    /** The command that reproduces experiment {@code e} of {@code all}, and the command that ran it. */
    private String commandOf(String e, String runBy) {
        return "bin/bgtai experiments " + e + " --seeds " + seedsOf(e) + (quick ? " --quick" : "")
            + (resume && RESUMABLE.contains(e) ? " --resume" : "") + " (run by: " + runBy + ")";
    }

    /** {@code all --jobs N}: every experiment in a child JVM, N at a time; returns the failed ones with their exit codes and logs. */
    private List<String> inChildren(Path root, String typed, int jobs, java.util.Map<String, Object> seconds) throws Exception {
        int threads = Math.max(1, org.bgtai.tensor.Parallel.threads() / jobs);
        List<ExperimentJobs.Job> todo = new java.util.ArrayList<>();
        for (String e : quick ? LONGEST_FIRST_QUICK : LONGEST_FIRST) {
            List<String> cmd = new java.util.ArrayList<>(ExperimentJobs.thisJvm());
            cmd.add("-D" + RUN_BY + "=" + typed);
            Path dir = e.equals("table2") ? root : root.resolve(e);   // table2's --out is the folder holding table2/ and table5/
            cmd.addAll(List.of(Main.class.getName(), "experiments", e, "--seeds", String.valueOf(seedsOf(e)), "--out", dir.toAbsolutePath().toString()));
            if (quick) cmd.add("--quick");
            if (resume && RESUMABLE.contains(e)) cmd.add("--resume");
            if (dataDir != null) cmd.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
            if (epochs != null && e.equals("table2")) cmd.addAll(List.of("--epochs", String.valueOf(epochs)));
            if (e.equals("fig3")) cmd.addAll(List.of("--seed", String.valueOf(seed)));
            todo.add(new ExperimentJobs.Job(e, cmd, java.util.Map.of("BGTAI_THREADS", String.valueOf(threads)), root.resolve("logs").resolve(e + ".log")));
        }
        System.err.printf(java.util.Locale.ROOT, "=== experiments all: %d at a time, %d kernel thread(s) each, logs in %s%n", jobs, threads, root.resolve("logs"));
        List<ExperimentJobs.Outcome> outcomes;
        try (org.bgtai.nn.train.ProgressBar bar = new org.bgtai.nn.train.ProgressBar("experiments all", todo.size(), "experiment")) {
            outcomes = ExperimentJobs.run(todo, jobs, bar);
        }
        List<String> failed = new java.util.ArrayList<>();
        for (String e : ALL)
            for (ExperimentJobs.Outcome o : outcomes)
                if (o.name().equals(e)) {
                    seconds.put(e, Math.round(o.seconds()));
                    if (!o.ok()) failed.add(e + " (exit " + o.exitCode() + ", log " + o.log() + ")");
                }
        return failed;
    }

    /** --seeds, else the experiment's default: 1 for fig3 and for a quick run (a smoke run of the whole pipeline), 3 for the others. */
    private int seedsOf(String name) {
        return seeds != null ? seeds : quick || name.equals("fig3") ? 1 : 3;
    }

    private void runOne(String name, Path dir, Path root) throws Exception {
        int seeds = seedsOf(name);
        boolean resume = this.resume && (!this.name.equals("all") || RESUMABLE.contains(name));
        if (resume && !RESUMABLE.contains(name))
            throw new IllegalArgumentException("--resume is supported by l2g-audio, table4, fig2 and fig3 ('" + name + "' keeps no checkpoints)");
        if (dataDir != null && model != null && name.equals("fig3"))
            throw new IllegalArgumentException("--data-dir does not apply to fig3 --model: a given world model runs the built-in world only, not AV-Digits from fsdd/ and mnist/");
        switch (name) {
            case "bridge" -> org.bgtai.experiments.BridgeExperiment.run(seeds, dir, quick, dataDir);
            case "alignment" -> org.bgtai.experiments.AlignmentExperiment.run(seeds, dir, quick, dataDir);
            case "l2g-audio" -> org.bgtai.experiments.L2gAudioExperiment.run(seeds, dir, quick, resume, System.out, dataDir);
            // table2 writes table5 too (same models); table5 alone reuses the models table2 saved when the settings match
            case "table2", "table5" -> {
                var s = org.bgtai.experiments.DigitsExperiment.Settings.of(quick);
                if (epochs != null) s = s.withEpochs(epochs);
                org.bgtai.experiments.DigitsExperiment.run(name.equals("table2") ? List.of("table2", "table5") : List.of("table5"), seeds, root, s, dataDir);
            }
            case "table3" -> org.bgtai.experiments.Table3Experiment.run(seeds, dir, quick, dataDir);
            case "table4" -> org.bgtai.experiments.Table4Experiment.run(seeds, dir, quick, resume, dataDir);
            case "fig2" -> org.bgtai.experiments.Fig2Experiment.run(dir, seeds, quick, resume, dataDir);
            case "fig3" -> org.bgtai.experiments.GenerationExperiment.run(dir, model, seeds, seed, quick, resume, dataDir);
            default -> throw new IllegalArgumentException("unknown experiment '" + name + "'; available: all, bridge, alignment, l2g-audio, table2, table3, table5, table4, fig2, fig3");
        }
    }
}
