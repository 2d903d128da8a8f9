package org.bgtai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavWriter;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.generate.SoundToImage;
import org.bgtai.model.JointModel;
import org.bgtai.model.ModelConfig;
import org.bgtai.model.Prepared;
import org.bgtai.text.Tokenizer;
import org.bgtai.text.WordTokenizer;
import org.bgtai.tensor.Rng;
import org.bgtai.model.ModelIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bgtai generate} on a tiny saved model and generator writes a grid of the requested count. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesAGrid() throws Exception {
        WorldConfig world = new WorldConfig(16, 8000, 0.25, 1, 1);
        List<Sample> train = BuiltinWorld.generate(world, Split.TRAIN, 3).items();
        Tokenizer tv = WordTokenizer.train(BuiltinWorld.captions(), 1, true), gv = WordTokenizer.train(BuiltinWorld.glosses(), 1, false);
        ModelConfig mc = ModelConfig.world(ModelConfig.Variant.BGTAI).withSizes(16, 2, 32, 1, 16);
        JointModel model = new JointModel(mc, tv, gv, new Rng(1));
        Prepared[] p = Prepared.prepare(train, mc, tv, gv);
        SoundToImage s2i = SoundToImage.train(model, p, 16, 16, new SoundToImage.Config(8, 1, 16, 1e-3, 3, org.bgtai.generate.FlowGenerator.Solver.EULER, 2f, 0.1f), 4, true);
        Path g = dir.resolve("generator.safetensors"), m = dir.resolve("model.safetensors");
        s2i.save(g);
        ModelIO.save(m, model);

        Path wav = dir.resolve("tone.wav"), png = dir.resolve("out.png");
        WavWriter.write(wav, Audio.mono(8000, train.get(0).audio()), WavEncoding.PCM_S16);
        int code = new CommandLine(new Main()).execute("generate", "--model", m.toString(), "--generator", g.toString(),
            "--count", "3", "--pitch", "2", "--out", png.toString(), wav.toString());
        assertEquals(0, code);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 3 * 96 && img.getHeight() >= 96, img.getWidth() + "x" + img.getHeight());
    }
}
