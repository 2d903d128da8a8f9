package org.bgtai.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./bgtai experiments NAME [--seeds N] [--out DIR] [--quick]}: runs one of the paper's experiments. */
@Command(name = "experiments", description = "Run an experiment: alignment (DS-Net / Result Filter on digit strings), table2 (FSDD classification, digit-string retrieval), table5 (emergent audio-text retrieval).")
final class ExperimentsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name: alignment, table2, table5")
    String name;

    @Option(names = "--seeds", description = "number of seeds (default 3)")
    int seeds = 3;

    @Option(names = "--out", description = "output folder (default reports/experiments/NAME)")
    Path out;

    @Option(names = "--quick", description = "a ~1 minute version")
    boolean quick;

    @Option(names = "--epochs", description = "table2/table5: training epochs of every model (default 20, --quick 3)")
    Integer epochs;

    @Option(names = "--data-dir", description = "table2/table5: folder holding fsdd/ and mnist/ (default: $BGTAI_SHARED/data, else ../shared/data)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        switch (name) {
            case "alignment" -> org.bgtai.experiments.AlignmentExperiment.run(seeds, out != null ? out : Path.of("reports/experiments/" + name), quick);
            // table2 writes table5 too (same models); table5 alone reuses the models table2 saved when the settings match
            case "table2", "table5" -> {
                var s = org.bgtai.experiments.DigitsExperiment.Settings.of(quick);
                if (epochs != null) s = s.withEpochs(epochs);
                org.bgtai.experiments.DigitsExperiment.run(name.equals("table2") ? java.util.List.of("table2", "table5") : java.util.List.of("table5"), seeds,
                    out != null ? out : Path.of("reports/experiments"), s, dataDir);
            }
            default -> throw new IllegalArgumentException("unknown experiment '" + name + "'; available: alignment, table2, table5");
        }
        return 0;
    }
}
