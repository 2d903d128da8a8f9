package org.bgtai.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link FusedKernels} loops that C2 does not vectorize by itself (a
 * data-dependent select mispredicts about half the time on activations). Only loaded when the
 * Vector API is present.
 */
final class FusedVectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FusedVectorKernels() {}

    /** {@code out[i] = h[ho+i] > 0 ? g[go+i] * (m[mo+i] * scale) : 0} for i in [lo, hi). */
    static void reluMaskGrad(float[] g, int go, float[] h, int ho, float[] m, int mo, float scale, float[] out, int lo, int hi) {
        FloatVector zero = FloatVector.zero(S);
        int i = lo;
        for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, h, ho + i).compare(VectorOperators.GT, 0f);
            FloatVector v = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, m, mo + i).mul(scale));
            zero.blend(v, on).intoArray(out, i);
        }
        FusedKernels.reluMaskGradScalar(g, go, h, ho, m, mo, scale, out, i, hi);
    }
}
