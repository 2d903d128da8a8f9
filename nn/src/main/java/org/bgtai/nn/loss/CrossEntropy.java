package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Parallel;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Mean cross-entropy of logits against class indices with label smoothing and an ignore index
 * (PyTorch {@code F.cross_entropy(logits, target, ignore_index, label_smoothing)}):
 * {@code l_i = -(1 - e) log p_i[t_i] - (e / C) sum_c log p_i[c]}, {@code p_i = softmax(logits_i)},
 * averaged over the rows whose target is not {@code ignoreIndex}.
 *
 * <p>Shapes: {@code logits [..., C]}, {@code target [...]} -> scalar. One fused kernel computes the
 * loss and its gradient {@code (p - q) / n} ({@code q} the smoothed target) in the forward pass.
 *
 * <pre>{@code
 * Var loss = CrossEntropy.loss(logits, IntTensor.of(3, 0, -100), 0.1f, -100);   // row 3 ignored
 * }</pre>
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Without smoothing or ignore index. */
    public static Var loss(Var logits, IntTensor target) {
        return loss(logits, target, 0f, -100);
    }

    /**
     * @param logits [..., C]
     * @param target [...] class indices in {@code [0, C)} or {@code ignoreIndex}
     * @param labelSmoothing {@code e} in [0, 1]
     * @param ignoreIndex target value whose rows do not count (PyTorch's default is -100)
     * @return scalar mean loss (every row ignored gives 0/0, reported as an ArithmeticException)
     */
    public static Var loss(Var logits, IntTensor target, float labelSmoothing, int ignoreIndex) {
        int[] ls = logits.shape();
        if (ls.length == 0 || target.numel() * ls[ls.length - 1] != logits.value().numel()
            || !java.util.Arrays.equals(java.util.Arrays.copyOf(ls, ls.length - 1), target.shape()))
            throw new IllegalArgumentException("cross entropy: logits " + Shape.str(ls) + " need targets of shape "
                + Shape.str(java.util.Arrays.copyOf(ls, Math.max(0, ls.length - 1))) + ", got " + Shape.str(target.shape()));
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("cross entropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        int c = ls[ls.length - 1], rows = target.numel();
        int[] t = target.data();
        for (int i = 0; i < rows; i++)
            if (t[i] != ignoreIndex && (t[i] < 0 || t[i] >= c))
                throw new IndexOutOfBoundsException("cross entropy: target " + t[i] + " at position " + i + " is not a class in [0, " + c
                    + ") nor the ignore index " + ignoreIndex);
        if (logits.value().device() != Device.CPU) return LossCheck.finite("cross-entropy", composed(logits, t, c, labelSmoothing, ignoreIndex));
        Tensor x = logits.value().contiguous();
        float[] xd = x.cpuData();
        int xo = x.offset();
        float[] grad = new float[rows * c];
        double[] rowLoss = new double[rows];
        int valid = 0;
        for (int i = 0; i < rows; i++) if (t[i] != ignoreIndex) valid++;
        float e = labelSmoothing;
        Parallel.forRange(rows, Math.max(1, 8192 / c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                if (t[r] == ignoreIndex) continue;
                int o = xo + r * c, go = r * c;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, xd[o + j]);
                double sum = 0, sumX = 0;
                for (int j = 0; j < c; j++) {
                    float ex = (float) Math.exp(xd[o + j] - max);
                    grad[go + j] = ex;
                    sum += ex;
                    sumX += xd[o + j];
                }
                double lse = max + Math.log(sum);
                // -(1-e) logp[t] - e/C sum_c logp[c]
                rowLoss[r] = (1 - e) * (lse - xd[o + t[r]]) + e * (lse - sumX / c);
                float inv = (float) (1.0 / sum), off = e / c;
                for (int j = 0; j < c; j++) grad[go + j] = grad[go + j] * inv - off;
                grad[go + t[r]] -= 1 - e;
            }
        });
        double total = 0;
        for (double v : rowLoss) total += v;
        int n = valid;
        Tensor lossValue = Tensor.scalar((float) (total / n));
        Var out = Var.op("cross_entropy", lossValue, g -> {
            float s = g.item() / n;
            float[] gd = new float[grad.length];
            Parallel.forRange(gd.length, 1 << 15, (lo, hi) -> {
                for (int i = lo; i < hi; i++) gd[i] = grad[i] * s;
            });
            return new Tensor[] {Tensor.of(gd, ls)};
        }, logits);
        return LossCheck.finite("cross-entropy", out);
    }

    /**
     * The same loss composed of autograd ops, for logits off the CPU:
     * {@code logp = logSoftmax(logits)}, {@code -sum_i w_i ((1 - e) logp_i[t_i] + (e / C) sum_c logp_i[c]) / n}
     * with {@code w_i = 0} on ignored rows. The targets (ignored ones replaced by class 0) and the
     * row weights are built on the host and copied to the device once per call.
     */
    static Var composed(Var logits, int[] t, int c, float e, int ignoreIndex) {
        int rows = t.length, n = 0;
        int[] safe = new int[rows];
        float[] w = new float[rows];
        for (int i = 0; i < rows; i++) {
            boolean keep = t[i] != ignoreIndex;
            safe[i] = keep ? t[i] : 0;
            w[i] = keep ? 1f : 0f;
            if (keep) n++;
        }
        Var logp = logits.reshape(rows, c).logSoftmax(-1);                        // [rows, C]
        Var picked = logp.gather(1, IntTensor.of(safe, rows, 1));                  // [rows, 1]
        Var perRow = e == 0f ? picked : picked.mul(1f - e).add(logp.sum(-1, true).mul(e / c));
        Var weights = Var.of(Tensor.of(w, rows, 1).to(logits.value().device()));
        return perRow.mul(weights).sum().mul(-1f / n);
    }
}
