package org.bgtai.consumer;

import java.util.Arrays;
import org.bgtai.data.BuiltinWorld;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.data.Sample;
import org.bgtai.data.Split;
import org.bgtai.tensor.Tensor;

/**
 * A program of a project outside the BGTAI build, using the installed library: a tensor op of
 * bgtai-tensor and a sample of the built-in world of bgtai. Run with
 * {@code java --add-modules jdk.incubator.vector -cp ... org.bgtai.consumer.Consumer}.
 */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.matmul(x.transpose(0, 1));
        System.out.println("x x^T = " + Arrays.toString(y.contiguous().toArray()));
        WorldConfig small = new WorldConfig(32, 8000, 0.8, 1, 1, 0);
        Sample s = BuiltinWorld.generate(small, Split.TEST, 1).get(0);
        System.out.println("built-in world sample: text '" + s.text() + "', gloss " + s.gloss() + ", " + s.audio().length + " audio samples at "
            + s.sampleRate() + " Hz, image " + s.image().channels() + "x" + s.image().height() + "x" + s.image().width());
    }
}
