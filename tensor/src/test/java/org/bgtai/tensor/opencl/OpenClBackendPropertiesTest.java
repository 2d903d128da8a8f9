package org.bgtai.tensor.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.bgtai.tensor.BinaryOp;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.ReduceOp;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.UnaryOp;
import org.bgtai.tensor.testing.OpenClTesting;

/**
 * Every OpenCL op against the CPU backend on random shapes (odd sizes, size 1, rank 0) and random
 * layouts: contiguous, permuted (transposed), sliced with a step and an offset, and broadcast
 * (stride-0) views. Inputs are built once on the CPU and copied, so both backends see the same
 * values through the same view.
 */
@AddLifecycleHook(OpenClSkipHook.class)
class OpenClBackendPropertiesTest {
    private static final int TRIES = 25;

    private static Device dev() {
        return OpenClTesting.device();
    }

    /** The same logical tensor on the CPU and on the device. */
    record Pair(Tensor cpu, Tensor dev) {
        Pair map(UnaryOperator<Tensor> f) {
            return new Pair(f.apply(cpu), f.apply(dev));
        }
    }

    static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 4f - 2f;
        return v;
    }

    /** A tensor of {@code shape} in a random layout (see the class comment). */
    static Pair make(Random r, int[] shape) {
        int rank = shape.length;
        int kind = rank == 0 ? 0 : r.nextInt(4);
        int[] base;
        UnaryOperator<Tensor> view;
        switch (kind) {
            case 1 -> {  // permuted: a base of permuted shape viewed back
                int[] perm = randomPermutation(r, rank);
                base = new int[rank];
                int[] inv = new int[rank];
                for (int i = 0; i < rank; i++) {
                    base[i] = shape[perm[i]];
                    inv[perm[i]] = i;
                }
                view = t -> t.permute(inv);
            }
            case 2 -> {  // every second element of a longer dim, starting at 1
                int d = r.nextInt(rank);
                base = shape.clone();
                base[d] = 2 * shape[d] + 1;
                view = t -> t.slice(d, 1, 2 * shape[d] + 1, 2);
            }
            case 3 -> {  // broadcast: some dims stored once
                base = shape.clone();
                for (int i = 0; i < rank; i++) if (r.nextBoolean()) base[i] = 1;
                view = t -> t.expand(shape);
            }
            default -> {
                base = shape.clone();
                view = t -> t;
            }
        }
        Tensor b = Tensor.of(values(r, Shape.numel(base)), base);
        Pair p = new Pair(view.apply(b), view.apply(b.to(dev())));
        assertArrayEquals(shape, p.cpu.shape());
        return p;
    }

    static int[] randomPermutation(Random r, int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(i);
        java.util.Collections.shuffle(l, r);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] shape(List<Integer> dims) {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Equal within {@code atol + rtol*|expected|}; NaN matches NaN, infinities must match exactly. */
    static void assertClose(String what, Tensor expected, Tensor actual, float rtol, float atol) {
        assertEquals(Shape.str(expected.shape()), Shape.str(actual.shape()), what + ": shape");
        assertTrue(actual.device() != Device.CPU, what + ": result should stay on the device");
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok;
            if (Float.isNaN(e[i])) ok = Float.isNaN(a[i]);
            else if (Float.isInfinite(e[i])) ok = e[i] == a[i] || Math.abs(e[i]) > 1e30f && Math.abs(a[i]) > 1e30f;
            else ok = Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok)
                throw new AssertionError(what + ": element " + i + " of " + Shape.str(expected.shape()) + ": cpu " + e[i] + ", opencl " + a[i]);
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Property(tries = TRIES)
    void unaryMatchesCpu(@ForAll @Size(max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll UnaryOp op, @ForAll long seed) {
        Pair x = make(new Random(seed), shape(dims));
        if (op == UnaryOp.EXP || op == UnaryOp.EXPM1) x = x.map(t -> t.mul(3f));
        Pair in = x;
        assertClose(op.name(), in.cpu.unary(op), in.dev.unary(op), 2e-5f, 2e-6f);
    }

    @Property(tries = TRIES)
    void clampAndWhereMatchCpu(@ForAll @Size(max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        Pair x = make(r, s), a = make(r, s), b = make(r, s);
        assertClose("clamp", x.cpu.clamp(-0.5f, 1f), x.dev.clamp(-0.5f, 1f), 0, 0);
        Pair cond = make(r, s).map(t -> t.gt(0f));
        Pair bb = s.length == 0 ? b : b.map(t -> t.narrow(t.dim() - 1, 0, 1));  // broadcast the last dim
        assertClose("where", Tensor.where(cond.cpu, a.cpu, bb.cpu), Tensor.where(cond.dev, a.dev, bb.dev), 0, 0);
    }

    @Property(tries = TRIES)
    void binaryBroadcastMatchesCpu(@ForAll @Size(max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll BinaryOp op,
                                   @ForAll long seed) {
        Random r = new Random(seed);
        int[] out = shape(dims);
        int[] sa = broadcastOperand(r, out), sb = broadcastOperand(r, out);
        Pair a = make(r, sa), b = make(r, sb);
        assertClose(op.name(), a.cpu.binary(op, b.cpu), a.dev.binary(op, b.dev), 2e-5f, 2e-6f);
    }

    /** A shape that broadcasts to {@code out}: some leading dims dropped, some dims set to 1. */
    static int[] broadcastOperand(Random r, int[] out) {
        int drop = out.length == 0 ? 0 : r.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    @Property(tries = TRIES)
    void inPlaceOpsMatchCpu(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        Pair src = make(r, s);
        // destination: a strided window inside a bigger zero-initialised buffer
        int[] big = s.clone();
        big[0] += 2;
        Pair dst = new Pair(Tensor.zeros(big), Tensor.zeros(big).to(dev()));
        Pair window = dst.map(t -> t.narrow(0, 1, s[0]));
        window.cpu.copyFrom(src.cpu);
        window.dev.copyFrom(src.dev);
        window.cpu.addInPlace(src.cpu, 0.5f);
        window.dev.addInPlace(src.dev, 0.5f);
        assertClose("copyInto+addInPlace", dst.cpu, dst.dev, 1e-6f, 0);
        dst.cpu.fill(3f);
        dst.dev.fill(3f);
        assertClose("fill", dst.cpu, dst.dev, 0, 0);
        assertClose("contiguous", src.cpu.contiguous(), src.dev.contiguous(), 0, 0);
        assertArrayEquals(src.cpu.toArray(), src.dev.toArray(), "toArray of a strided view");
    }

    // ------------------------------------------------------------------ reductions

    @Property(tries = TRIES)
    void reduceMatchesCpu(@ForAll @Size(max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll ReduceOp op,
                          @ForAll boolean keepDim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        Pair x = make(r, s);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.length; i++) if (r.nextBoolean()) axes.add(i - (r.nextBoolean() ? s.length : 0));
        int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
        assertClose(op + " over " + axes, x.cpu.reduce(op, keepDim, ax), x.dev.reduce(op, keepDim, ax), 1e-4f, 1e-4f);
    }

    @Property(tries = TRIES)
    void argReduceMatchesCpu(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll boolean max,
                             @ForAll boolean keepDim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        Pair x = make(r, s);  // broadcast views produce ties: the first index must win on both
        int axis = r.nextInt(s.length);
        IntTensor e = max ? x.cpu.argmax(axis, keepDim) : x.cpu.argmin(axis, keepDim);
        IntTensor a = max ? x.dev.argmax(axis, keepDim) : x.dev.argmin(axis, keepDim);
        assertArrayEquals(e.shape(), a.shape());
        assertArrayEquals(e.data(), a.data());
    }

    @Property(tries = TRIES)
    void softmaxAndBackwardMatchCpu(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 7) Integer> dims, @ForAll boolean log,
                                    @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        Pair x = make(r, s).map(t -> t.mul(3f)), g = make(r, s);
        int axis = r.nextInt(s.length);
        Tensor yc = log ? x.cpu.logSoftmax(axis) : x.cpu.softmax(axis);
        Tensor yd = log ? x.dev.logSoftmax(axis) : x.dev.softmax(axis);
        assertClose("softmax log=" + log, yc, yd, 1e-5f, 1e-6f);
        assertClose("softmaxBackward log=" + log, yc.backend().softmaxBackward(yc, g.cpu, axis, log),
            yd.backend().softmaxBackward(yd, g.dev, axis, log), 1e-4f, 1e-5f);
    }

    // ------------------------------------------------------------------ matmul

    @Property(tries = TRIES)
    void matmulMatchesCpu(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                          @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(max = 3) int batchKind,
                          @ForAll boolean transA, @ForAll boolean transB, @ForAll long seed) {
        Random r = new Random(seed);
        int[] ba, bb;
        switch (batchKind) {
            case 1 -> { ba = new int[] {3}; bb = new int[] {3}; }
            case 2 -> { ba = new int[] {2, 1}; bb = new int[] {3}; }   // broadcast batch
            case 3 -> { ba = new int[] {2}; bb = new int[] {}; }       // shared weight
            default -> { ba = new int[] {}; bb = new int[] {}; }
        }
        Pair a = matrix(r, ba, m, k, transA), b = matrix(r, bb, k, n, transB);
        assertClose("matmul " + Shape.str(a.cpu.shape()) + " x " + Shape.str(b.cpu.shape()),
            a.cpu.matmul(b.cpu), a.dev.matmul(b.dev), 1e-4f, 1e-4f);
    }

    /** [batch..., rows, cols], stored transposed when {@code trans} (a {@code mT()} view). */
    static Pair matrix(Random r, int[] batch, int rows, int cols, boolean trans) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = trans ? cols : rows;
        s[batch.length + 1] = trans ? rows : cols;
        Tensor t = Tensor.of(values(r, Shape.numel(s)), s);
        Pair p = new Pair(t, t.to(dev()));
        return trans ? p.map(Tensor::mT) : p;
    }

    // ------------------------------------------------------------------ indexing

    @Property(tries = TRIES)
    void indexSelectAndIndexAddMatchCpu(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 6) Integer> dims,
                                        @ForAll @IntRange(max = 9) int count, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        int axis = r.nextInt(s.length);
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = r.nextInt(s[axis]);  // duplicates on purpose
        IntTensor index = IntTensor.of(idx);
        Pair x = make(r, s);
        assertClose("indexSelect", x.cpu.indexSelect(axis, index), x.dev.indexSelect(axis, index), 0, 0);
        int[] ss = s.clone();
        ss[axis] = count;
        Pair src = make(r, ss);
        assertClose("indexAdd", Tensor.indexAdd(s, axis, index, src.cpu), Tensor.indexAdd(s, axis, index, src.dev), 1e-6f, 1e-6f);
    }

    @Property(tries = TRIES)
    void gatherAndScatterAddMatchCpu(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 6) Integer> dims, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        int axis = r.nextInt(s.length);
        int[] is = s.clone();
        for (int i = 0; i < is.length; i++) is[i] = i == axis ? 1 + r.nextInt(7) : 1 + r.nextInt(s[i]);
        int[] idx = new int[Shape.numel(is)];
        for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(s[axis]);
        IntTensor index = IntTensor.of(idx, is);
        Pair x = make(r, s);
        assertClose("gather", x.cpu.gather(axis, index), x.dev.gather(axis, index), 0, 0);
        Pair src = make(r, is);
        assertClose("scatterAdd", Tensor.scatterAdd(s, axis, index, src.cpu), Tensor.scatterAdd(s, axis, index, src.dev), 1e-6f, 1e-6f);
    }

    @Property(tries = TRIES)
    void catMatchesCpu(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 5) Integer> dims, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(dims);
        int axis = r.nextInt(s.length);
        int parts = 1 + r.nextInt(3);
        List<Tensor> cpu = new ArrayList<>(), gpu = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            int[] ps = s.clone();
            ps[axis] = r.nextInt(4);  // empty parts too
            Pair p = make(r, ps);
            cpu.add(p.cpu);
            gpu.add(p.dev);
        }
        assertClose("cat", Tensor.cat(cpu, axis), Tensor.cat(gpu, axis), 0, 0);
    }
}
