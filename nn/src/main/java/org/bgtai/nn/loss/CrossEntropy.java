package org.bgtai.nn.loss;

import org.bgtai.autograd.Var;
import org.bgtai.tensor.FusedOps;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Mean cross-entropy of logits against class indices with label smoothing and an ignore index
 * (PyTorch {@code F.cross_entropy(logits, target, ignore_index, label_smoothing)}):
 * {@code l_i = -(1 - e) log p_i[t_i] - (e / C) sum_c log p_i[c]}, {@code p_i = softmax(logits_i)},
 * averaged over the rows whose target is not {@code ignoreIndex}.
 *
 * <p>Shapes: {@code logits [..., C]}, {@code target [...]} -> scalar. One fused op of the device's
 * {@link FusedOps} computes the loss and its gradient {@code (p - q) / n} ({@code q} the smoothed
 * target) in the forward pass; the targets stay on the host.
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
        FusedOps f = logits.value().backend().fused();
        FusedOps.CrossEntropyResult r = f.crossEntropy(logits.value().reshape(rows, c), target.reshape(rows), labelSmoothing, ignoreIndex);
        Var out = Var.op("cross_entropy", r.loss(), g -> new Tensor[] {f.crossEntropyBackward(r, g).reshape(ls)}, logits);
        return LossCheck.finite("cross-entropy", out);
    }
}
