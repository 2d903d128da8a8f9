package org.bgtai.nn.train;

import org.bgtai.nn.Dropout;
import org.bgtai.nn.Linear;
import org.bgtai.nn.Module;
import org.bgtai.nn.Parameter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bgtai.autograd.Var;
import org.bgtai.nn.loss.Mse;
import org.bgtai.nn.optim.AdamW;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupt-and-resume equals an uninterrupted run, bit for bit. */
class CheckpointTest {
    @TempDir
    Path dir;

    /** One step on a batch drawn from {@code rng}; returns the loss. */
    static float step(Linear model, AdamW opt, Rng rng) {
        Tensor x = rng.normal(0, 1, 8, 5), y = rng.normal(0, 1, 8, 3);
        opt.zeroGrad();
        Var loss = Mse.loss(model.forward(Var.of(x)), Var.of(y));
        loss.backward();
        opt.step();
        return loss.item();
    }

    @Test
    void resumeIsBitForBit() throws IOException {
        Linear a = new Linear(5, 3, true, new Rng(1));
        AdamW oa = new AdamW(a.namedParameters(), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        Rng ra = new Rng(9);
        for (int i = 0; i < 5; i++) step(a, oa, ra);
        Path ck = dir.resolve("ck.safetensors");
        Checkpoint.save(ck, a, oa, ra, 5, Map.of("note", "after 5"));
        float[] expected = new float[5];
        for (int i = 0; i < 5; i++) expected[i] = step(a, oa, ra);

        Linear b = new Linear(5, 3, true, new Rng(123));  // different init: everything must come from the file
        AdamW ob = new AdamW(b.namedParameters(), 1e-2, 0.9, 0.999, 1e-8, 0.01);
        Checkpoint.Info info = Checkpoint.load(ck, b, ob);
        assertEquals(5, info.epoch());
        assertEquals(5, info.step());
        assertEquals("after 5", info.metadata().get("note"));
        float[] got = new float[5];
        for (int i = 0; i < 5; i++) got[i] = step(b, ob, info.rng());
        assertArrayEquals(expected, got);
        assertArrayEquals(a.stateDict().get("weight").toArray(), b.stateDict().get("weight").toArray());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    /** Linear -> dropout: its masks must continue where the checkpoint left them. */
    static final class WithDropout extends Module {
        final Linear fc;
        final Dropout drop;

        WithDropout(long seed) {
            fc = registerModule("fc", new Linear(5, 3, true, new Rng(seed)));
            drop = registerModule("drop", new Dropout(0.5f, new Rng(seed + 1)));
        }

        float step(AdamW opt, Rng rng) {
            Tensor x = rng.normal(0, 1, 8, 5), y = rng.normal(0, 1, 8, 3);
            opt.zeroGrad();
            Var loss = Mse.loss(drop.forward(fc.forward(Var.of(x))), Var.of(y));
            loss.backward();
            opt.step();
            return loss.item();
        }
    }

    @Test
    void dropoutMasksContinueAfterResume() throws IOException {
        WithDropout a = new WithDropout(1);
        AdamW oa = new AdamW(a.namedParameters(), 1e-2, 0.9, 0.999, 1e-8, 0.0);
        Rng ra = new Rng(9);
        for (int i = 0; i < 3; i++) a.step(oa, ra);
        Path ck = dir.resolve("drop.safetensors");
        Checkpoint.save(ck, a, oa, ra, 3, null);
        long[] saved = a.drop.rng().state();
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) expected[i] = a.step(oa, ra);

        WithDropout b = new WithDropout(1);   // freshly built: its dropout generator is back at the start
        AdamW ob = new AdamW(b.namedParameters(), 1e-2, 0.9, 0.999, 1e-8, 0.0);
        Checkpoint.Info info = Checkpoint.load(ck, b, ob);
        assertArrayEquals(saved, b.drop.rng().state(), "the dropout generator continues from the checkpoint");
        float[] got = new float[4];
        for (int i = 0; i < 4; i++) got[i] = b.step(ob, info.rng());
        assertArrayEquals(expected, got);
    }

    @Test
    void plainWeightsRoundTripUnderTorchNames() throws IOException {
        Linear a = new Linear(5, 3, true, new Rng(1)), b = new Linear(5, 3, true, new Rng(2));
        Path f = dir.resolve("w.safetensors");
        Checkpoint.saveWeights(f, a);
        assertEquals(java.util.Set.of("weight", "bias"), org.bgtai.tensor.io.Safetensors.load(f).keySet());
        assertTrue(Checkpoint.loadWeights(f, b, true).clean());
        assertArrayEquals(a.stateDict().get("bias").toArray(), b.stateDict().get("bias").toArray());
    }

    @Test
    void incompatibleCheckpointNamesTheTensor() throws IOException {
        Linear a = new Linear(5, 3, true, new Rng(1));
        Path ck = dir.resolve("ck.safetensors");
        Checkpoint.save(ck, a, null, null, 0, null);
        Linear other = new Linear(4, 3, true, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(ck, other, null));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains(ck.toString()), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Checkpoint.load(dir.resolve("missing"), a, null));
    }
}
