package org.bgtai.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./bgtai experiments NAME [--seeds N] [--out DIR] [--quick]}: runs one of the paper's experiments. */
@Command(name = "experiments", description = "Run an experiment: alignment (DS-Net / Result Filter on digit strings), table4 (joint-objective ablation), fig2 (accuracy per epoch under one wall-clock budget).")
final class ExperimentsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name: alignment, table4, fig2")
    String name;

    @Option(names = "--seeds", description = "number of seeds (default 3)")
    int seeds = 3;

    @Option(names = "--out", description = "output folder (default reports/experiments/NAME)")
    Path out;

    @Option(names = "--quick", description = "a ~1 minute version")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("reports/experiments/" + name);
        switch (name) {
            case "alignment" -> org.bgtai.experiments.AlignmentExperiment.run(seeds, dir, quick);
            case "table4" -> org.bgtai.experiments.Table4Experiment.run(seeds, dir, quick);
            case "fig2" -> org.bgtai.experiments.Fig2Experiment.run(dir, quick);
            default -> throw new IllegalArgumentException("unknown experiment '" + name + "'; available: alignment, table4, fig2");
        }
        return 0;
    }
}
