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
    description = "Run an experiment (full runs write results/NAME, --quick ones reports/experiments/NAME): all (every one below in turn, "
    + "writing all-seconds.json), bridge (BGTAI vs UniBriVL on the built-in world and AV-Digits, "
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

    @Spec
    CommandSpec spec;

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
            org.bgtai.experiments.Provenance.setCommand(typed);
            runOne(name, out != null ? out : root.resolve(name), root);
            return 0;
        }
        if (model != null) throw new IllegalArgumentException("--model applies to fig3 alone, not to 'all'");
        long t0 = System.nanoTime();
        java.util.Map<String, Object> seconds = new java.util.LinkedHashMap<>();
        for (String e : ALL) {
            long t = System.nanoTime();
            System.err.printf(java.util.Locale.ROOT, "=== experiments all: %s (%d of %d)%n", e, seconds.size() + 1, ALL.size());
            org.bgtai.experiments.Provenance.setCommand("bin/bgtai experiments " + e + " --seeds " + seedsOf(e) + (quick ? " --quick" : "")
                + (resume && RESUMABLE.contains(e) ? " --resume" : "") + " (run by: " + typed + ")");
            runOne(e, root.resolve(e), root);
            seconds.put(e, Math.round((System.nanoTime() - t) / 1e9));
        }
        seconds.put("total", Math.round((System.nanoTime() - t0) / 1e9));
        org.bgtai.tensor.io.Json.writeFile(root.resolve("all-seconds.json"), seconds);
        System.out.println("experiments all: seconds per experiment " + org.bgtai.tensor.io.Json.write(seconds));
        return 0;
    }

    static final List<String> RESUMABLE = List.of("l2g-audio", "table4", "fig2", "fig3");

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
