package org.bgtai.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for views, ops and error messages. */
class TensorTest {
    static Tensor t(float[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    static Tensor range(int... shape) {
        return Tensor.arange(Shape.numel(shape)).reshape(shape);
    }

    @Test
    void classJavadocExample() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.matmul(x.transpose(0, 1));
        assertArrayEquals(new float[] {14, 32, 32, 77}, y.toArray());
        Tensor p = x.softmax(-1);
        assertEquals(1.0, p.sum(-1, false).get(0), 1e-6);
    }

    @Test
    void viewsShareStorageAndIndexCorrectly() {
        Tensor x = range(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertSame(x.storage(), p.storage());
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertTrue(!p.isContiguous());
        Tensor c = p.contiguous();
        assertNotSame(p.storage(), c.storage());
        assertEquals(x.get(0, 1, 2), c.get(2, 0, 1));

        Tensor n = x.narrow(2, 1, 2);
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, n.toArray());
        Tensor s = x.slice(2, 0, 4, 3);
        assertArrayEquals(new float[] {0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 23}, s.toArray());
        Tensor e = Tensor.vector(1, 2, 3).unsqueeze(0).expand(2, 3);
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, e.toArray());
        assertEquals(0, e.strides()[0]);
        assertArrayEquals(new int[] {3}, e.narrow(0, 0, 1).squeeze(0).shape());
        assertEquals(x.get(1, 2, 0), x.select(0, 1).select(0, 2).get(0));
    }

    @Test
    void reshapeIsAViewWhenPossibleAndCopiesOtherwise() {
        Tensor x = range(4, 6);
        assertSame(x.storage(), x.reshape(2, 2, 6).storage());
        assertSame(x.storage(), x.reshape(-1).storage());
        Tensor tr = x.transpose(0, 1);
        Tensor flat = tr.reshape(24);
        assertNotSame(x.storage(), flat.storage());
        assertEquals(x.get(1, 0), flat.get(1));  // tr[0][1] = x[1][0]
        // splitting a dim of a transposed view stays a view
        Tensor split = tr.reshape(2, 3, 4);
        assertSame(x.storage(), split.storage());
        assertEquals(x.get(3, 5), split.get(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> x.reshape(5, -1));
    }

    @Test
    void broadcastingBinaryOps() {
        Tensor a = range(2, 1, 3);
        Tensor b = t(new float[] {10, 20}, 2, 1);
        Tensor c = a.add(b);  // [2, 2, 3]
        assertArrayEquals(new int[] {2, 2, 3}, c.shape());
        assertEquals(a.get(1, 0, 2) + b.get(0, 0), c.get(1, 0, 2));
        assertEquals(a.get(1, 0, 2) + b.get(1, 0), c.get(1, 1, 2));
        assertArrayEquals(new float[] {0, 0, 1, 1}, Tensor.vector(1, 2, 3, 4).gt(2).toArray());
        assertArrayEquals(new float[] {1, 0, -1}, Tensor.vector(1, 2, 3).rsub(2).toArray());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> range(2, 3).add(range(4)));
        assertTrue(ex.getMessage().contains("[2, 3]") && ex.getMessage().contains("[4]"), ex.getMessage());
    }

    @Test
    void reductions() {
        Tensor x = range(2, 3);  // [[0,1,2],[3,4,5]]
        assertEquals(15f, x.sum().item());
        assertArrayEquals(new float[] {3, 5, 7}, x.sum(0, false).toArray());
        assertArrayEquals(new float[] {1, 4}, x.mean(1, false).toArray());
        assertArrayEquals(new int[] {2, 1}, x.max(1, true).shape());
        assertArrayEquals(new float[] {2, 5}, x.max(1, false).toArray());
        assertArrayEquals(new float[] {0, 1, 2}, x.min(0, false).toArray());
        assertArrayEquals(new int[] {2, 2}, x.argmax(1, false).toArray());
        assertArrayEquals(new int[] {0, 0, 0}, x.argmin(0, false).toArray());
        assertEquals(Math.log(Math.exp(0) + Math.exp(1) + Math.exp(2)), x.logsumexp(1, false).get(0), 1e-6);
        assertEquals(1.0, x.var(1, true, false).get(0), 1e-6);
        assertEquals(2.0 / 3, x.var(1, false, false).get(1), 1e-6);
        assertArrayEquals(new float[] {15}, x.reduce(ReduceOp.SUM, true, 0, 1).toArray());
        assertEquals(0f, x.reduce(ReduceOp.PROD, false).item());
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor x = Tensor.vector(1000f, 1001f, 1002f);
        float[] p = x.softmax(0).toArray();
        double z = Math.exp(-2) + Math.exp(-1) + 1;
        assertEquals(1 / z, p[2], 1e-6);
        float[] lp = x.logSoftmax(0).toArray();
        assertEquals(-Math.log(z), lp[2], 1e-6);
        // along a non-last axis
        Tensor y = range(3, 2).softmax(0);
        assertEquals(1.0, y.get(0, 1) + y.get(1, 1) + y.get(2, 1), 1e-6);
    }

    @Test
    void matmulShapesAndErrors() {
        Tensor a = range(2, 3), b = range(3, 4);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 4}, c.shape());
        assertEquals(0 * 3 + 1 * 7 + 2 * 11, c.get(0, 3));
        // vector promotion
        assertArrayEquals(new int[] {4}, Tensor.vector(1, 1, 1).matmul(b).shape());
        assertArrayEquals(new int[] {2}, a.matmul(Tensor.vector(1, 1, 1)).shape());
        // broadcast batch
        Tensor bb = range(5, 1, 3, 4);
        assertArrayEquals(new int[] {5, 2, 2, 4}, range(2, 2, 3).matmul(bb).shape());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> range(4, 7).matmul(range(5, 7)));
        assertTrue(ex.getMessage().contains("mT()"), ex.getMessage());
    }

    @Test
    void indexingOps() {
        Tensor table = range(4, 2);
        Tensor e = table.embedding(IntTensor.of(new int[] {3, 0, 3, 1}, 2, 2));
        assertArrayEquals(new int[] {2, 2, 2}, e.shape());
        assertArrayEquals(new float[] {6, 7, 0, 1, 6, 7, 2, 3}, e.toArray());
        Tensor back = Tensor.indexAdd(new int[] {4, 2}, 0, IntTensor.of(3, 0, 3, 1), Tensor.ones(4, 2));
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 2, 2}, back.toArray());
        Tensor g = range(2, 3).gather(1, IntTensor.of(new int[] {2, 0, 1, 1}, 2, 2));
        assertArrayEquals(new float[] {2, 0, 4, 4}, g.toArray());
        Tensor sc = Tensor.scatterAdd(new int[] {2, 3}, 1, IntTensor.of(new int[] {2, 0, 1, 1}, 2, 2), Tensor.ones(2, 2));
        assertArrayEquals(new float[] {1, 0, 1, 0, 2, 0}, sc.toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> table.embedding(IntTensor.of(4)));
        assertThrows(IndexOutOfBoundsException.class, () -> table.embedding(IntTensor.of(-1)));
    }

    @Test
    void catStackSplitPad() {
        Tensor a = range(2, 2), b = range(2, 1);
        assertArrayEquals(new float[] {0, 1, 0, 2, 3, 1}, Tensor.cat(1, a, b).toArray());
        assertArrayEquals(new int[] {2, 2, 2}, Tensor.stack(List.of(a, a), 0).shape());
        List<Tensor> parts = range(5).split(0, 2, 3);
        assertArrayEquals(new float[] {2, 3, 4}, parts.get(1).toArray());
        Tensor p = Tensor.vector(1, 2).pad(new int[] {1, 2}, -1f);
        assertArrayEquals(new float[] {-1, 1, 2, -1, -1}, p.toArray());
        Tensor p2 = range(1, 2).pad(new int[] {0, 0, 1, 0}, 9f);
        assertArrayEquals(new float[] {9, 9, 0, 1}, p2.toArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, range(2, 2), range(2, 3)));
    }

    @Test
    void whereMaskClamp() {
        Tensor x = Tensor.vector(-2, -1, 0, 1, 2);
        assertArrayEquals(new float[] {-1, -1, 0, 1, 1}, x.clamp(-1, 1).toArray());
        assertArrayEquals(new float[] {-2, -1, 0, 5, 5}, x.maskedFill(x.gt(0), 5f).toArray());
        assertArrayEquals(new float[] {0, 0, 0, 1, 2}, Tensor.where(x.gt(0), x, Tensor.scalar(0)).toArray());
    }

    @Test
    void inPlaceOpsWriteThroughViews() {
        Tensor x = Tensor.zeros(2, 3);
        x.narrow(1, 1, 2).fill(7f);
        assertArrayEquals(new float[] {0, 7, 7, 0, 7, 7}, x.toArray());
        x.addInPlace(Tensor.ones(2, 3), 2f);
        assertArrayEquals(new float[] {2, 9, 9, 2, 9, 9}, x.toArray());
        x.transpose(0, 1).copyFrom(range(3, 2));
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, x.toArray());
    }

    @Test
    void checkFiniteNamesTheProblem() {
        ArithmeticException ex = assertThrows(ArithmeticException.class, () -> Tensor.vector(1, Float.NaN).checkFinite("loss"));
        assertTrue(ex.getMessage().startsWith("loss contains NaN at flat index 1"), ex.getMessage());
    }

    @Test
    void badArgumentsGiveClearErrors() {
        Tensor x = range(2, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> x.sum(2, false)).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3)).getMessage().contains("do not fill"));
        assertThrows(IllegalArgumentException.class, () -> x.squeeze(0));
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, 2, 2));
        assertThrows(IllegalStateException.class, x::item);
        assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0));
        assertThrows(IllegalArgumentException.class, () -> x.expand(4, 3));
    }

    @Test
    void rngIsReproducibleAcrossThreadCounts() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] a = new Rng(7).normal(0, 1, 100_000).toArray();
            Parallel.setThreads(2);
            float[] b = new Rng(7).normal(0, 1, 100_000).toArray();
            assertArrayEquals(a, b);
            double mean = 0, sq = 0;
            for (float v : a) { mean += v; sq += v * v; }
            mean /= a.length;
            assertEquals(0, mean, 0.02);
            assertEquals(1, sq / a.length - mean * mean, 0.02);
        } finally {
            Parallel.setThreads(before);
        }
        Rng r = new Rng(3);
        r.uniform(0, 1, 10);
        Rng resumed = new Rng(r.state());
        assertArrayEquals(r.uniform(0, 1, 5).toArray(), resumed.uniform(0, 1, 5).toArray());
        int[] perm = new Rng(1).permutation(50);
        boolean[] seen = new boolean[50];
        for (int p : perm) seen[p] = true;
        for (boolean s : seen) assertTrue(s);
        float m = new Rng(5).bernoulli(0.3f, 20_000).mean().item();
        assertEquals(0.3, m, 0.02);
    }
}
