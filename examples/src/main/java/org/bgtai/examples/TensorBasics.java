package org.bgtai.examples;

import java.io.PrintStream;
import org.bgtai.autograd.Var;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.Tensor;

/**
 * Tensors and reverse-mode autograd, the README's snippet: a matrix product on plain
 * {@link Tensor}s, then a loss built from {@link Var}s and its gradient with respect to a
 * parameter.
 *
 * <pre>
 *   y    = x x^T                                   x [2, 3], y [2, 2]
 *   loss = -mean(logSoftmax(x w^T, last dim))      w [5, 3], a parameter
 *   loss.backward()                                w.grad() [5, 3]
 * </pre>
 *
 * Run it with {@code bin/bgtai example TensorBasics}, or after {@code mvn package}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "examples/target/classes:cli/target/lib/*" org.bgtai.examples.TensorBasics
 * </pre>
 * Time: 0.8 s ({@code bin/bgtai example}, JVM start included, 2 cores shared with another job).
 */
public final class TensorBasics {
    private TensorBasics() {}

    /**
     * What the program computed.
     *
     * @param y    {@code x x^T} [2, 2]
     * @param w    the parameter's value [5, 3]
     * @param loss the scalar loss
     * @param grad {@code d loss / d w} [5, 3]
     */
    public record Result(Tensor y, Tensor w, float loss, Tensor grad) {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, printing to {@code out}. */
    public static Result run(PrintStream out) {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);   // [2, 3]
        Tensor y = x.matmul(x.transpose(0, 1));                        // [2, 2]
        out.println("x        = " + x);
        out.println("x x^T    = " + y);

        Var w = Var.param(new Rng(42).normal(0f, 0.1f, 5, 3));        // a trainable [5, 3]
        Var loss = Var.of(x).matmul(w.mT()).logSoftmax(-1).mean().neg();
        loss.backward();                                               // fills w.grad()
        out.printf("loss     = %.6f%n", loss.item());
        out.println("w        = " + w.value());
        out.println("dloss/dw = " + w.grad());
        return new Result(y, w.value().copy(), loss.item(), w.grad().copy());
    }
}
