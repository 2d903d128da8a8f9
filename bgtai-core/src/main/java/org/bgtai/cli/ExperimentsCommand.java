package org.bgtai.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./bgtai experiments NAME [--seeds N] [--out DIR] [--quick]}: runs one of the paper's experiments. */
@Command(name = "experiments", description = "Run an experiment: alignment (DS-Net / Result Filter on digit strings), "
    + "l2g-audio (Langue2Gloss audio -> gloss on spoken digit strings).")
final class ExperimentsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name: alignment, l2g-audio")
    String name;

    @Option(names = "--seeds", description = "number of seeds (default 3)")
    int seeds = 3;

    @Option(names = "--out", description = "output folder (default reports/experiments/NAME)")
    Path out;

    @Option(names = "--quick", description = "a ~1 minute version")
    boolean quick;

    @Option(names = "--resume", description = "l2g-audio: continue each seed from its checkpoint under the output folder")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("reports/experiments/" + name);
        switch (name) {
            case "alignment" -> {
                if (resume) throw new IllegalArgumentException("--resume is not supported by the alignment experiment (it keeps no checkpoints)");
                org.bgtai.experiments.AlignmentExperiment.run(seeds, dir, quick);
            }
            case "l2g-audio" -> org.bgtai.experiments.L2gAudioExperiment.run(seeds, dir, quick, resume, System.out);
            default -> throw new IllegalArgumentException("unknown experiment '" + name + "'; available: alignment, l2g-audio");
        }
        return 0;
    }
}
