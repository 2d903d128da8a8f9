package org.bgtai.autograd;

import java.util.function.Function;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Shape;
import org.bgtai.tensor.Tensor;

/**
 * Numerical gradient checking by central differences.
 *
 * <p>For a function {@code f} of several tensors, the scalar {@code L = sum(f(x) * R)} with a
 * fixed random {@code R} is differentiated analytically (by {@link Var#backward}) and numerically
 * ({@code (L(x + eps e_i) - L(x - eps e_i)) / 2 eps}, accumulated in double precision) for every
 * input element. Since the ops themselves run in float32, use {@code eps ~ 1e-2 .. 1e-3} and a
 * relative tolerance around {@code 1e-2}.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Outcome of one check. */
    public record Result(double maxAbsError, double maxRelError, int input, int index, double analytic, double numeric) {
        public boolean passed(double rtol, double atol) {
            return maxAbsError <= atol || maxRelError <= rtol;
        }

        @Override
        public String toString() {
            return String.format("max abs err %.3g, max rel err %.3g (input %d, element %d: analytic %.6g vs numeric %.6g)",
                maxAbsError, maxRelError, input, index, analytic, numeric);
        }
    }

    /**
     * Compares analytic and numeric gradients of {@code f} at {@code inputs}; returns the worst
     * element. An element passes when {@code |a - n| <= atol + rtol * max(|a|, |n|)}; the result
     * reports the worst ratio of error to that bound.
     */
    public static Result check(Function<Var[], Var> f, double eps, double rtol, double atol, Tensor... inputs) {
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) vars[i] = Var.param(inputs[i].copy());
        Var out = f.apply(vars);
        Tensor r = new Rng(1234).uniform(-1f, 1f, out.shape());
        out.backward(r);
        double worstScore = -1;
        Result worst = new Result(0, 0, -1, -1, 0, 0);
        for (int in = 0; in < inputs.length; in++) {
            Tensor g = vars[in].grad();
            float[] ga = g == null ? new float[inputs[in].numel()] : g.toArray();
            float[] base = inputs[in].toArray();
            int[] shape = inputs[in].shape();
            for (int i = 0; i < base.length; i++) {
                float orig = base[i];
                base[i] = (float) (orig + eps);
                double lp = project(f, inputs, in, Tensor.of(base.clone(), shape), r);
                base[i] = (float) (orig - eps);
                double lm = project(f, inputs, in, Tensor.of(base.clone(), shape), r);
                base[i] = orig;
                double num = (lp - lm) / (2 * eps);
                double an = ga[i];
                double abs = Math.abs(an - num);
                double rel = abs / Math.max(1e-12, Math.max(Math.abs(an), Math.abs(num)));
                double score = abs / (atol + rtol * Math.max(Math.abs(an), Math.abs(num)));
                if (score > worstScore) {
                    worstScore = score;
                    worst = new Result(abs, rel, in, i, an, num);
                }
            }
        }
        return worst;
    }

    /** Throws an AssertionError describing the worst element when the check fails. */
    public static void assertGradients(String what, Function<Var[], Var> f, double eps, double rtol, double atol, Tensor... inputs) {
        Result res = check(f, eps, rtol, atol, inputs);
        double bound = atol + rtol * Math.max(Math.abs(res.analytic()), Math.abs(res.numeric()));
        if (Math.abs(res.analytic() - res.numeric()) > bound) {
            StringBuilder shapes = new StringBuilder();
            for (Tensor t : inputs) shapes.append(Shape.str(t.shape())).append(' ');
            throw new AssertionError("gradient check failed for " + what + " with inputs " + shapes + ": " + res);
        }
    }

    private static double project(Function<Var[], Var> f, Tensor[] inputs, int which, Tensor replaced, Tensor r) {
        Var[] vs = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) vs[i] = Var.of(i == which ? replaced : inputs[i]);
        Tensor y;
        try (var ignored = GradMode.noGrad()) {
            y = f.apply(vs).value();
        }
        float[] yv = y.toArray(), rv = r.toArray();
        double s = 0;
        for (int i = 0; i < yv.length; i++) s += (double) yv[i] * rv[i];
        return s;
    }
}
