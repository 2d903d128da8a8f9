package org.bgtai.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bgtai.tensor.testing.FusedOpCases;
import org.bgtai.tensor.testing.FusedOpCases.Check;
import org.bgtai.tensor.testing.FusedOpCases.Impl;

/**
 * The CPU kernels of every fused op ({@code Device.CPU.backend().fused()}) against the composed
 * reference ({@link ComposedFusedOps}) on random shapes, forward and backward (see
 * {@link FusedOpCases}). The kernels sum in double or in other orders, so the match is to float
 * rounding: rel 1e-4, abs 1e-5.
 */
class FusedOpsPropertiesTest {
    private static final int TRIES = 40;

    private static Check check() {
        return new Check(new Impl("composed", ComposedFusedOps.INSTANCE, Device.CPU),
            new Impl("cpu", Device.CPU.backend().fused(), Device.CPU), 1e-4f, 1e-5f);
    }

    @Property(tries = TRIES)
    void attention(@ForAll long seed) {
        FusedOpCases.attention(check(), seed);
    }

    @Property(tries = TRIES)
    void layerNorm(@ForAll long seed) {
        FusedOpCases.layerNorm(check(), seed);
    }

    @Property(tries = TRIES)
    void crossEntropy(@ForAll long seed) {
        FusedOpCases.crossEntropy(check(), seed);
    }

    @Property(tries = TRIES)
    void dropout(@ForAll long seed) {
        FusedOpCases.dropout(check(), seed);
    }

    @Property(tries = TRIES)
    void im2colCol2im(@ForAll long seed) {
        FusedOpCases.im2col(check(), seed);
    }

    @Property(tries = TRIES)
    void pooling(@ForAll long seed) {
        FusedOpCases.pool(check(), seed);
    }

    @Property(tries = TRIES)
    void biasAndColumnSums(@ForAll long seed) {
        FusedOpCases.bias(check(), seed);
    }

    @Property(tries = TRIES)
    void optimizersNormsAndScaling(@ForAll long seed) {
        FusedOpCases.optimizers(check(), seed);
    }
}
