package org.bgtai.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * One random case per {@link FusedOps} op, run on two implementations and compared output by
 * output (forward results, saved statistics, every backward result). Inputs are drawn on the host
 * from the seed, so both implementations see the same values; each is moved to the
 * implementation's device, some as strided (transposed) views, so layout handling is exercised.
 *
 * <pre>{@code
 * Check c = new Check(new Impl("cpu", Device.CPU.backend().fused(), Device.CPU),
 *                     new Impl("composed", ComposedFusedOps.INSTANCE, Device.CPU), 1e-4f, 1e-5f);
 * FusedOpCases.layerNorm(c, 42L);
 * }</pre>
 */
public final class FusedOpCases {
    private FusedOpCases() {}

    /** One implementation of the fused ops, with the device its operands live on. */
    public record Impl(String name, FusedOps ops, Device device) {
        /** {@code cpu} on this device; with {@code strided} (rank >= 2) as a transposed view of a transposed copy. */
        public Tensor in(Tensor cpu, boolean strided) {
            if (!strided || cpu.dim() < 2) return cpu.to(device);
            return cpu.transpose(-1, -2).contiguous().to(device).transpose(-1, -2);
        }
    }

    /** Two implementations compared within {@code |e - a| <= atol + rtol * |e|} (NaN matches NaN, infinities exactly). */
    public record Check(Impl expected, Impl actual, float rtol, float atol) {
        /** Runs {@code body} on both and compares every named output. */
        public void run(String what, Function<Impl, Map<String, Tensor>> body) {
            Map<String, Tensor> e = body.apply(expected), a = body.apply(actual);
            assertEquals(e.keySet(), a.keySet(), what + ": outputs");
            for (String k : e.keySet()) {
                Tensor te = e.get(k), ta = a.get(k);
                if (te == null || ta == null) {
                    assertEquals(te == null, ta == null, what + " " + k + ": presence");
                    continue;
                }
                assertEquals(actual.device(), ta.device(), what + " " + k + ": result on the implementation's device");
                assertClose(what + " " + k + " (" + expected.name() + " vs " + actual.name() + ")", te, ta, rtol, atol);
            }
        }
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, float rtol, float atol) {
        assertEquals(Shape.str(expected.shape()), Shape.str(actual.shape()), what + ": shape");
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok;
            if (Float.isNaN(e[i])) ok = Float.isNaN(a[i]);
            else if (Float.isInfinite(e[i])) ok = e[i] == a[i];
            else ok = Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok)
                throw new AssertionError(what + ": element " + i + " of " + Shape.str(expected.shape()) + ": expected " + e[i] + ", got " + a[i]);
        }
    }

    private static Tensor normal(Random r, float std, int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * std);
        return Tensor.of(v, shape);
    }

    private static Tensor keep(Random r, float p, int... shape) {
        return new Rng(r.nextLong()).bernoulli(p, shape);
    }

    private static Map<String, Tensor> outputs(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Tensor) kv[i + 1]);
        return m;
    }

    // ------------------------------------------------------------------ attention

    /**
     * Attention with random {@code B, H, Tq, Tk, d}, causal or not, key padding (one batch row
     * fully masked at times), dropout or not; forward, probabilities and all three gradients.
     */
    public static void attention(Check c, long seed) {
        Random r = new Random(seed);
        int b = 1 + r.nextInt(3), h = 1 + r.nextInt(3), tq = 1 + r.nextInt(6), tk = 1 + r.nextInt(7), d = 1 + r.nextInt(6);
        boolean causal = r.nextBoolean(), padded = r.nextBoolean(), dropped = r.nextBoolean(), strided = r.nextBoolean();
        Tensor q = normal(r, 1f, b, h, tq, d), k = normal(r, 1f, b, h, tk, d), v = normal(r, 1f, b, h, tk, d), g = normal(r, 1f, b, h, tq, d);
        float[] pad = new float[b * tk];
        for (int i = 0; i < pad.length; i++) pad[i] = r.nextInt(3) == 0 ? 1f : 0f;
        if (padded && r.nextBoolean()) java.util.Arrays.fill(pad, 0, tk, 1f);   // every key of batch row 0 masked
        Tensor keep = keep(r, 0.8f, b, h, tq, tk);
        float scale = (float) (1.0 / Math.sqrt(d));
        boolean wq = r.nextInt(4) != 0, wk = r.nextInt(4) != 0, wv = r.nextInt(4) != 0;
        c.run("attention B" + b + " H" + h + " Tq" + tq + " Tk" + tk + " d" + d + (causal ? " causal" : "") + (padded ? " padded" : "")
            + (dropped ? " dropout" : ""), im -> {
            FusedOps.DropMask drop = dropped ? new FusedOps.DropMask(im.in(keep, false), 1f / 0.8f) : null;
            FusedOps.AttentionResult res = im.ops().attention(im.in(q, strided), im.in(k, strided), im.in(v, false),
                padded ? im.in(Tensor.of(pad, b, tk), false) : null, causal, drop, scale);
            Tensor[] gr = im.ops().attentionBackward(res, im.in(g, strided), wq, wk, wv);
            return outputs("out", res.out(), "probs", res.probs(), "probsUsed", res.probsUsed(), "dq", gr[0], "dk", gr[1], "dv", gr[2]);
        });
    }

    // ------------------------------------------------------------------ layer norm

    /** Layer norm over random {@code [..., D]}; y, mean, rstd and the gradients asked for. */
    public static void layerNorm(Check c, long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(9), d = 1 + r.nextInt(40);
        boolean strided = r.nextBoolean();
        Tensor x = normal(r, 2f, rows, d).add(normal(r, 3f, rows, 1)), w = normal(r, 0.5f, d).add(1f), bias = normal(r, 1f, d), g = normal(r, 1f, rows, d);
        boolean nx = r.nextInt(4) != 0, nw = r.nextInt(4) != 0, nb = r.nextInt(4) != 0;
        c.run("layerNorm " + rows + "x" + d, im -> {
            FusedOps.LayerNormResult res = im.ops().layerNorm(im.in(x, strided), im.in(w, false), im.in(bias, false), 1e-5f);
            Tensor[] gr = im.ops().layerNormBackward(res, im.in(g, strided), nx, nw, nb);
            return outputs("y", res.y(), "mean", res.mean(), "rstd", res.rstd(), "dx", gr[0], "dw", gr[1], "db", gr[2]);
        });
    }

    // ------------------------------------------------------------------ cross-entropy

    /** Cross-entropy with random smoothing and ignored rows; loss, unscaled gradient and the backward result. */
    public static void crossEntropy(Check c, long seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(9), classes = 1 + r.nextInt(20);
        float smoothing = r.nextBoolean() ? 0f : r.nextFloat() * 0.3f;
        int ignore = r.nextBoolean() ? -100 : 0;
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) t[i] = r.nextInt(5) == 0 ? ignore : r.nextInt(classes);
        t[r.nextInt(rows)] = classes - 1 == ignore ? 0 : classes - 1;   // at least one counted row (unless class == ignore)
        boolean anyCounted = false;
        for (int v : t) anyCounted |= v != ignore;
        if (!anyCounted) return;
        boolean strided = r.nextBoolean();
        Tensor x = normal(r, 3f, rows, classes), up = Tensor.scalar(0.5f + r.nextFloat());
        c.run("crossEntropy " + rows + "x" + classes + " e" + smoothing, im -> {
            FusedOps.CrossEntropyResult res = im.ops().crossEntropy(im.in(x, strided), IntTensor.of(t, rows), smoothing, ignore);
            assertEquals(res.count(), (int) java.util.Arrays.stream(t).filter(v -> v != ignore).count());
            return outputs("loss", res.loss(), "grad", res.grad(), "dlogits", im.ops().crossEntropyBackward(res, im.in(up, false)));
        });
    }

    // ------------------------------------------------------------------ dropout

    /** The four dropout ops on a random shape, including NaN and signed zeros in the ReLU input. */
    public static void dropout(Check c, long seed) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(5), 1 + r.nextInt(40)};
        boolean strided = r.nextBoolean();
        Tensor x = normal(r, 1f, shape), res = normal(r, 1f, shape), g = normal(r, 1f, shape);
        float[] hv = normal(r, 1f, shape).toArray();
        for (int i = 0; i < hv.length; i++) {
            int kind = r.nextInt(12);
            if (kind == 0) hv[i] = 0f;
            else if (kind == 1) hv[i] = -0f;
            else if (kind == 2) hv[i] = Float.NaN;
        }
        Tensor h = Tensor.of(hv, shape), keep = keep(r, 0.7f, shape);
        float scale = 1f / 0.7f;
        c.run("dropout " + Shape.str(shape), im -> {
            FusedOps.DropMask m = new FusedOps.DropMask(im.in(keep, false), scale);
            return outputs("dropout", im.ops().dropout(im.in(x, strided), m), "addDropout", im.ops().addDropout(im.in(res, false), im.in(x, strided), m),
                "reluDropout", im.ops().reluDropout(im.in(h, strided), m), "reluDropoutBackward", im.ops().reluDropoutBackward(im.in(g, false), im.in(h, strided), m));
        });
    }

    // ------------------------------------------------------------------ convolution and pooling

    private static FusedOps.Window2d window(Random r, boolean pool) {
        int n = 1 + r.nextInt(2), ch = 1 + r.nextInt(3), kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
        int dh = pool ? 1 : 1 + r.nextInt(2), dw = pool ? 1 : 1 + r.nextInt(2);
        int ph = pool ? r.nextInt(kh / 2 + 1) : r.nextInt(3), pw = pool ? r.nextInt(kw / 2 + 1) : r.nextInt(3);
        int h = dh * (kh - 1) + 1 + r.nextInt(6), w = dw * (kw - 1) + 1 + r.nextInt(6);
        return new FusedOps.Window2d(n, ch, h, w, kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), ph, pw, dh, dw);
    }

    /** im2col and col2im on a random geometry (stride, padding, dilation). */
    public static void im2col(Check c, long seed) {
        Random r = new Random(seed);
        FusedOps.Window2d geo = window(r, false);
        Tensor x = normal(r, 1f, geo.n(), geo.c(), geo.h(), geo.w());
        Tensor cols = normal(r, 1f, geo.n(), geo.c() * geo.kh() * geo.kw(), geo.ho() * geo.wo());
        boolean strided = r.nextBoolean();
        c.run("im2col " + geo, im -> outputs("im2col", im.ops().im2col(im.in(x, strided), geo), "col2im", im.ops().col2im(im.in(cols, strided), geo)));
    }

    /** Max and average pooling, forward and backward, with ties (values rounded to halves). */
    public static void pool(Check c, long seed) {
        Random r = new Random(seed);
        FusedOps.Window2d geo = window(r, true);
        float[] xv = normal(r, 1.5f, geo.n(), geo.c(), geo.h(), geo.w()).toArray();
        for (int i = 0; i < xv.length; i++) xv[i] = Math.round(xv[i] * 2) / 2f;   // ties: the first maximal element wins
        Tensor x = Tensor.of(xv, geo.n(), geo.c(), geo.h(), geo.w()), g = normal(r, 1f, geo.n(), geo.c(), geo.ho(), geo.wo());
        boolean strided = r.nextBoolean();
        c.run("pool " + geo, im -> {
            FusedOps.MaxPoolResult mp = im.ops().maxPool2d(im.in(x, strided), geo);
            return outputs("max", mp.out(), "argmax", mp.argmax(), "maxBackward", im.ops().maxPool2dBackward(mp, im.in(g, strided), geo),
                "avg", im.ops().avgPool2d(im.in(x, strided), geo), "avgBackward", im.ops().avgPool2dBackward(im.in(g, strided), geo));
        });
    }

    // ------------------------------------------------------------------ bias

    /** Bias add along a random dim of a rank-2..4 tensor, and column sums. */
    public static void bias(Check c, long seed) {
        Random r = new Random(seed);
        int rank = 2 + r.nextInt(3);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = 1 + r.nextInt(6);
        int axis = r.nextInt(rank);
        Tensor y = normal(r, 1f, shape), b = normal(r, 1f, shape[axis]);
        int rows = 1 + r.nextInt(150), cols = 1 + r.nextInt(20);
        Tensor g = normal(r, 1f, rows, cols);
        boolean strided = r.nextBoolean();
        c.run("bias " + Shape.str(shape) + " axis " + axis, im -> outputs("addBias", im.ops().addBias(im.in(y, false).copy(), im.in(b, false), axis),
            "columnSums", im.ops().columnSums(im.in(g, strided))));
    }

    // ------------------------------------------------------------------ optimizers and gradients

    private static List<Tensor> tensors(Random r, int count, float std, int[][] shapes) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(normal(r, std, shapes[i]));
        return out;
    }

    private static List<Tensor> on(Impl im, List<Tensor> xs) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : xs) out.add(im.in(x, false).copy());   // fresh, owned copies: the ops update in place
        return out;
    }

    /** Two AdamW and two SGD steps (momentum, Nesterov, weight decay at random) over several tensors, then norms and scaling. */
    public static void optimizers(Check c, long seed) {
        Random r = new Random(seed);
        int count = 1 + r.nextInt(4);
        int[][] shapes = new int[count][];
        for (int i = 0; i < count; i++) shapes[i] = r.nextBoolean() ? new int[] {1 + r.nextInt(300)} : new int[] {1 + r.nextInt(7), 1 + r.nextInt(9)};
        List<Tensor> p0 = tensors(r, count, 1f, shapes), g1 = tensors(r, count, 1f, shapes), g2 = tensors(r, count, 1f, shapes);
        float lr = 0.01f + r.nextFloat() * 0.1f, wd = r.nextBoolean() ? 0f : 0.01f, mu = r.nextBoolean() ? 0f : 0.9f;
        boolean nesterov = mu > 0 && r.nextBoolean();
        float factor = 0.25f + r.nextFloat();
        c.run("optimizers x" + count, im -> {
            List<Tensor> p = on(im, p0), m = on(im, zeros(shapes)), v = on(im, zeros(shapes));
            for (int t = 1; t <= 2; t++) {
                double bc1 = 1 - Math.pow(0.9, t), bc2 = 1 - Math.pow(0.98, t);
                im.ops().adamW(p, on(im, t == 1 ? g1 : g2), m, v,
                    new FusedOps.AdamWStep(1 - lr * wd, 0.9f, 0.98f, (float) (lr / bc1), (float) (1 / Math.sqrt(bc2)), 1e-8f));
            }
            List<Tensor> q = on(im, p0), buf = mu == 0 ? null : on(im, zeros(shapes));
            for (int t = 1; t <= 2; t++) im.ops().sgd(q, on(im, t == 1 ? g1 : g2), buf, new FusedOps.SgdStep(lr, mu, wd, nesterov, t == 1));
            List<Tensor> s = on(im, g1);
            double ss = im.ops().sumOfSquares(s);
            im.ops().scaleInPlace(s, factor);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                out.put("adamW p" + i, p.get(i));
                out.put("adamW m" + i, m.get(i));
                out.put("adamW v" + i, v.get(i));
                out.put("sgd p" + i, q.get(i));
                if (buf != null) out.put("sgd buf" + i, buf.get(i));
                out.put("scaled " + i, s.get(i));
            }
            out.put("sumOfSquares", im.in(Tensor.scalar((float) ss), false));
            return out;
        });
    }

    private static List<Tensor> zeros(int[][] shapes) {
        List<Tensor> out = new ArrayList<>();
        for (int[] s : shapes) out.add(Tensor.zeros(s));
        return out;
    }
}
