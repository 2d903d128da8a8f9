package org.bgtai.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bgtai.audio.Audio;
import org.bgtai.data.Image;
import org.bgtai.generate.SoundToImage;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelIO;
import org.bgtai.joint.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/bgtai generate --model M --generator G FILE.wav...}: images drawn from sounds (a row of
 * {@code --count} draws per file), with the volume and pitch controls, written as one PNG grid.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Generate images from sounds with a trained sound-to-image generator (see bin/bgtai experiments fig3).")
final class GenerateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "WAV files (any rate/channels/PCM or float encoding)")
    List<Path> files;

    @Option(names = "--model", required = true, description = "the joint model the generator was trained with (model.safetensors)")
    Path model;

    @Option(names = "--generator", required = true, description = "generator.safetensors written by bin/bgtai experiments fig3")
    Path generator;

    @Option(names = "--volume", description = "volume factor applied to the sound before embedding (default ${DEFAULT-VALUE})", defaultValue = "1")
    float volume;

    @Option(names = "--pitch", description = "pitch shift in semitones (default ${DEFAULT-VALUE})", defaultValue = "0")
    float pitch;

    @Option(names = "--count", description = "images per sound (default ${DEFAULT-VALUE})", defaultValue = "4")
    int count;

    @Option(names = "--seed", description = "sampling seed (default ${DEFAULT-VALUE})", defaultValue = "1")
    long seed;

    @Option(names = "--out", description = "PNG to write (default ${DEFAULT-VALUE})", defaultValue = "generated.png")
    Path out;

    @Mixin
    AudioOptions audioOptions = new AudioOptions();

    @Override
    public Integer call() throws Exception {
        if (count < 1) throw new IllegalArgumentException("--count must be >= 1, got " + count);
        JointModel m = ModelIO.load(model);
        SoundToImage s2i = SoundToImage.load(generator, m);
        List<List<Image>> rows = new ArrayList<>();
        List<List<String>> labels = new ArrayList<>();
        for (Path f : files) {
            Audio a = audioOptions.read(f);
            float[] e = s2i.embed(List.of(a.mono()), a.sampleRate(), volume, pitch)[0];
            float[][] conds = new float[count][];
            java.util.Arrays.fill(conds, e);
            rows.add(List.of(s2i.generate(conds, seed)));
            List<String> lab = new ArrayList<>();
            for (int k = 0; k < count; k++) lab.add(k == 0 ? f.getFileName().toString() : "draw " + (k + 1));
            labels.add(lab);
        }
        Report.imageGrid(out, String.format(Locale.ROOT, "generated from sound (volume x%.2f, pitch %+.1f semitones)", volume, pitch), rows, labels);
        System.out.println("wrote " + out + " (" + files.size() + " sound(s) x " + count + " images)");
        return 0;
    }
}
