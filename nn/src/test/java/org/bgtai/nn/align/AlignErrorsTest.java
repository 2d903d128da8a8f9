package org.bgtai.nn.align;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gives an IllegalArgumentException that names the sizes. */
class AlignErrorsTest {

    static void fails(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) assertTrue(ex.getMessage().contains(f), "'" + ex.getMessage() + "' should mention '" + f + "'");
    }

    @Test
    void emptySequence() {
        fails(() -> Dtw.align(new float[0], new float[] {1, 2}, 2, Dtw.Options.DEFAULT), "x", "empty", "0 x 2");
        fails(() -> SoftDtw.valueAndGradient(new float[] {1, 2}, new float[0], 2, 0.1, StandardCost.SQUARED_EUCLIDEAN), "y", "empty");
        fails(() -> Dtw.align(new float[0], 0, 0), "[0, 0]");
    }

    @Test
    void dimensionMismatch() {
        fails(() -> Dtw.align(new float[] {1, 2, 3}, new float[] {1, 2}, 2, Dtw.Options.DEFAULT), "3 values", "d=2");
        fails(() -> Dtw.align(new float[6], 2, 4), "6 values", "[2, 4]", "8");
    }

    @Test
    void nanInCost() {
        float[] c = {0, 1, Float.NaN, 2};
        fails(() -> Dtw.align(c, 2, 2), "NaN", "(1, 0)", "[2, 2]");
        fails(() -> SoftDtw.forward(c, 2, 2, 0.1), "NaN");
        fails(() -> Dtw.align(new float[] {Float.NaN, 0}, new float[] {0, 0}, 2, Dtw.Options.DEFAULT), "NaN");
    }

    @Test
    void bandTooNarrow() {
        // 2 x 10 with radius 1: the scaled diagonal jumps 9 columns per row, so rows do not connect.
        fails(() -> Dtw.align(new float[20], 2, 10, Dtw.Options.DEFAULT.withConstraint(Constraint.sakoeChiba(1))), "2 x 10", "too narrow");
        fails(() -> Dtw.cost(new float[20], 1, 20, Dtw.Options.DEFAULT.withConstraint(Constraint.sakoeChiba(3))), "1 x 20");
        fails(() -> Dtw.align(new float[30], 3, 10, Dtw.Options.DEFAULT.withConstraint(Constraint.itakura(1.5))), "3 x 10");
    }

    @Test
    void badParameters() {
        fails(() -> Constraint.sakoeChiba(-1), "-1");
        fails(() -> Constraint.itakura(1.0), "1.0");
        fails(() -> SoftDtw.forward(new float[1], 1, 1, 0), "gamma");
        fails(() -> MonotonicViterbi.decode(new float[6], 3, 2), "Q=3", "T=2");
        fails(() -> SpLoss.of(new float[] {0.5f, 0.4f}, new float[] {1, 0}, 1, 2), "sums to");
        fails(() -> SpLoss.targetPositions(new float[] {1, 0, 0, 0}, 2, 2), "row 1");
        fails(() -> AlignmentCrossEntropy.of(new float[4], new float[] {0, 0, 1, 0}, 2, 2), "row 0");
        fails(() -> DictionaryInterpolation.uniform(new float[6], 3, 2, 2), "Q=3", "T=2");
        fails(() -> DictionaryInterpolation.withDurations(new float[4], 2, new int[] {1, 0}), "element 1");
    }
}
