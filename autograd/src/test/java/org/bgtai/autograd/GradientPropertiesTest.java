package org.bgtai.autograd;

import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Finite-difference gradient checks of every differentiable op on random shapes (central
 * differences, eps 1e-2 on float32 values, relative tolerance 2e-2 with an absolute floor).
 */
class GradientPropertiesTest {
    static final double EPS = 1e-2, RTOL = 2e-2, ATOL = 2e-3;

    static int[] shape(Rng r, int rank) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(4);
        return s;
    }

    static void check(String what, Function<Var[], Var> f, Tensor... in) {
        GradCheck.assertGradients(what, f, EPS, RTOL, ATOL, in);
    }

    /** Values away from the kinks of abs/relu/clamp/max so central differences are meaningful. */
    static Tensor awayFromZero(Rng r, int... shape) {
        Tensor u = r.uniform(0.2f, 1.5f, shape);
        Tensor sign = r.bernoulli(0.5f, shape).mul(2f).sub(1f);
        return u.mul(sign);
    }

    @Property(tries = 40)
    void unaryOps(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int rank) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank);
        Tensor x = awayFromZero(r, s);
        Tensor pos = r.uniform(0.5f, 2f, s);
        check("neg", v -> v[0].neg(), x);
        check("exp", v -> v[0].exp(), x);
        check("log", v -> v[0].log(), pos);
        check("sqrt", v -> v[0].sqrt(), pos);
        check("rsqrt", v -> v[0].rsqrt(), pos);
        check("square", v -> v[0].square(), x);
        check("pow", v -> v[0].pow(2.5f), pos);
        check("abs", v -> v[0].abs(), x);
        check("tanh", v -> v[0].tanh(), x);
        check("sigmoid", v -> v[0].sigmoid(), x);
        check("relu", v -> v[0].relu(), x);
        check("gelu", v -> v[0].gelu(), x);
        check("gelu_tanh", v -> v[0].geluTanh(), x);
        check("silu", v -> v[0].silu(), x);
        check("clamp", v -> v[0].clamp(-0.1f, 0.1f), x);
        check("scalar arithmetic", v -> v[0].mul(3f).add(1f).div(2f).sub(0.5f).rsub(1f), x);
    }

    @Property(tries = 40)
    void broadcastBinaryOps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank);
        int[] sb = s.clone();
        for (int i = 0; i < sb.length; i++) if (r.nextInt(2) == 0) sb[i] = 1;
        int[] sbShort = java.util.Arrays.copyOfRange(sb, r.nextInt(rank), rank);
        Tensor a = awayFromZero(r, s), b = awayFromZero(r, sbShort);
        check("add", v -> v[0].add(v[1]), a, b);
        check("sub", v -> v[0].sub(v[1]), a, b);
        check("mul", v -> v[0].mul(v[1]), a, b);
        check("div", v -> v[0].div(v[1]), a, b);
        check("maximum", v -> v[0].maximum(v[1]), a, b.mul(0.1f));  // |a - b| >= 0.05 > eps: no kink inside the stencil
        Tensor cond = r.bernoulli(0.5f, s);
        check("where", v -> Var.where(cond, v[0], v[1]), a, b);
        check("masked_fill", v -> v[0].maskedFill(cond, -3f), a);
    }

    @Property(tries = 40)
    void reductions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank, @ForAll boolean keep) {
        Rng r = new Rng(seed);
        int[] s = shape(r, rank);
        Tensor x = r.uniform(-1, 1, s);
        int d = r.nextInt(rank);
        check("sum", v -> v[0].sum(), x);
        check("mean", v -> v[0].mean(), x);
        check("sum(dim)", v -> v[0].sum(d, keep), x);
        check("mean(dim)", v -> v[0].mean(d, keep), x);
        check("logsumexp", v -> v[0].logsumexp(d, keep), x);
        check("var", v -> v[0].var(d, false, keep), x);
        check("softmax", v -> v[0].softmax(d), x);
        check("log_softmax", v -> v[0].logSoftmax(d), x);
        // distinct values so the argmax is stable under +-eps
        Tensor distinct = Tensor.arange(x.numel()).mul(0.1f).reshape(s);
        int[] perm = r.permutation(x.numel());
        float[] dv = distinct.toArray(), pv = new float[dv.length];
        for (int i = 0; i < dv.length; i++) pv[i] = dv[perm[i]];
        check("max", v -> v[0].max(d, keep), Tensor.of(pv, s));
    }

    @Property(tries = 30)
    void matmul(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int k,
                @ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 0, max = 2) int batch) {
        Rng r = new Rng(seed);
        Tensor a = batch == 0 ? r.uniform(-1, 1, m, k) : r.uniform(-1, 1, batch, m, k);
        Tensor b = r.uniform(-1, 1, k, n);  // broadcast over the batch
        check("matmul", v -> v[0].matmul(v[1]), a, b);
        check("matmul (transposed view)", v -> v[0].matmul(v[1].mT().mT()), a, b);
        check("matvec", v -> v[0].matmul(v[1]), r.uniform(-1, 1, m, k), r.uniform(-1, 1, k));
    }

    @Property(tries = 30)
    void movementOps(@ForAll long seed) {
        Rng r = new Rng(seed);
        int[] s = shape(r, 3);
        Tensor x = r.uniform(-1, 1, s);
        check("reshape", v -> v[0].reshape(-1).mul(v[0].reshape(-1)), x);
        check("permute", v -> v[0].permute(2, 0, 1).contiguous().mul(Var.of(Tensor.arange(x.numel()).reshape(s[2], s[0], s[1]))), x);
        check("transpose", v -> v[0].transpose(0, 2).exp(), x);
        check("narrow", v -> v[0].narrow(1, s[1] - 1, 1).exp(), x);
        check("slice", v -> v[0].slice(0, 0, s[0], 2).exp(), x);
        check("select", v -> v[0].select(2, 0).exp(), x);
        check("expand", v -> v[0].narrow(0, 0, 1).expand(3, s[1], s[2]).exp(), x);
        check("unsqueeze/squeeze", v -> v[0].unsqueeze(1).exp().squeeze(1), x);
        check("flatten", v -> v[0].flatten(0, 1).exp(), x);
        check("cat", v -> Var.cat(List.of(v[0], v[0].exp()), 1), x);
        check("stack", v -> Var.stack(List.of(v[0], v[0].square()), 0), x);
        check("split", v -> v[0].split(2, s[2]).get(0).exp(), x);
        // narrow gradients are added into slices of the parent's gradient: overlapping and unused
        // parts, other uses of the parent, a leaf parent and a computed (non-leaf) one
        int w = s[1];
        Function<Var, Var> parts = p -> p.narrow(1, 0, w).exp().add(p.narrow(1, w / 2, w - w / 2).square().sum(1, true))
            .add(p.narrow(1, 0, 1).mul(3f)).add(p.tanh());
        check("narrow parts of a leaf", v -> parts.apply(v[0]), x);
        check("narrow parts of a computed value", v -> parts.apply(v[0].mul(v[0]).add(v[0])), x);
        check("split, some parts unused", v -> (w > 1 ? v[0].split(1, 1, w - 1).get(1) : v[0]).exp().add(v[0].narrow(1, 0, 1).tanh()), x);
        check("pad", v -> v[0].pad(new int[] {1, 2, 0, 1}, 0.5f).exp(), x);
    }

    @Property(tries = 30)
    void indexingOps(@ForAll long seed) {
        Rng r = new Rng(seed);
        int vocab = 2 + r.nextInt(5), dim = 1 + r.nextInt(4);
        Tensor table = r.uniform(-1, 1, vocab, dim);
        int[] ids = new int[1 + r.nextInt(6)];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(vocab);  // repeats on purpose
        check("embedding", v -> Var.embedding(v[0], IntTensor.of(ids)).exp(), table);
        check("index_select", v -> v[0].indexSelect(1, IntTensor.of(0, dim - 1, 0)).exp(), table);
        int[] g = new int[vocab * 2];
        for (int i = 0; i < g.length; i++) g[i] = r.nextInt(dim);
        check("gather", v -> v[0].gather(1, IntTensor.of(g, vocab, 2)).exp(), table);
    }

    @Property(tries = 20)
    void composedLayerLikeExpressions(@ForAll long seed) {
        Rng r = new Rng(seed);
        Tensor x = r.uniform(-1, 1, 3, 4), w = r.uniform(-1, 1, 5, 4), b = r.uniform(-1, 1, 5);
        check("linear+gelu+log_softmax", v -> v[0].matmul(v[1].mT()).add(v[2]).gelu().logSoftmax(-1), x, w, b);
        // Rows spread by a fixed ramp (first and last element >= 2 apart), so no row's variance is
        // near 0, where rsqrt is too curved for central differences with eps = 1e-2.
        Tensor spread = x.add(Tensor.of(new float[] {-2f, -0.67f, 0.67f, 2f}, 4));
        check("layer-norm-like", v -> {
            Var mu = v[0].mean(-1, true);
            Var c = v[0].sub(mu);
            return c.mul(c.square().mean(-1, true).add(1e-5f).rsqrt());
        }, spread);
    }
}
