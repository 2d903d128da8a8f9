package org.bgtai.tensor.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.bgtai.tensor.ComposedFusedOps;
import org.bgtai.tensor.Device;
import org.bgtai.tensor.Rng;
import org.bgtai.tensor.testing.FusedOpCases;
import org.bgtai.tensor.testing.FusedOpCases.Check;
import org.bgtai.tensor.testing.FusedOpCases.Impl;
import org.bgtai.tensor.testing.OpenClTesting;

/**
 * The OpenCL kernels of every fused op against the CPU kernels on random shapes, forward and
 * backward (see {@link FusedOpCases}; inputs copied from the host, some as strided views on the
 * device), and the composed reference running on the device (what a backend without fused
 * kernels gets) against the CPU too. Both sum in float in other orders: rel 2e-4, abs 2e-5.
 * Seeded Bernoulli masks drawn on the device are bit-identical to the CPU's.
 */
@AddLifecycleHook(OpenClSkipHook.class)
class OpenClFusedOpsPropertiesTest {
    private static final int TRIES = 20;

    private static Impl cpu() {
        return new Impl("cpu", Device.CPU.backend().fused(), Device.CPU);
    }

    private static Check kernels() {
        Device dev = OpenClTesting.device();
        return new Check(cpu(), new Impl("opencl", dev.backend().fused(), dev), 2e-4f, 2e-5f);
    }

    private static Check composed() {
        return new Check(cpu(), new Impl("composed on opencl", ComposedFusedOps.INSTANCE, OpenClTesting.device()), 2e-4f, 2e-5f);
    }

    @Property(tries = TRIES)
    void attention(@ForAll long seed) {
        FusedOpCases.attention(kernels(), seed);
    }

    @Property(tries = TRIES)
    void layerNorm(@ForAll long seed) {
        FusedOpCases.layerNorm(kernels(), seed);
    }

    @Property(tries = TRIES)
    void crossEntropy(@ForAll long seed) {
        FusedOpCases.crossEntropy(kernels(), seed);
    }

    @Property(tries = TRIES)
    void dropout(@ForAll long seed) {
        FusedOpCases.dropout(kernels(), seed);
    }

    @Property(tries = TRIES)
    void im2colCol2im(@ForAll long seed) {
        FusedOpCases.im2col(kernels(), seed);
    }

    @Property(tries = TRIES)
    void pooling(@ForAll long seed) {
        FusedOpCases.pool(kernels(), seed);
    }

    @Property(tries = TRIES)
    void biasAndColumnSums(@ForAll long seed) {
        FusedOpCases.bias(kernels(), seed);
    }

    @Property(tries = TRIES)
    void optimizersNormsAndScaling(@ForAll long seed) {
        FusedOpCases.optimizers(kernels(), seed);
    }

    /** Every op once more through the composed reference on the device. */
    @Property(tries = 4)
    void composedReferenceOnDeviceMatchesCpu(@ForAll long seed) {
        Check c = composed();
        FusedOpCases.attention(c, seed);
        FusedOpCases.layerNorm(c, seed);
        FusedOpCases.crossEntropy(c, seed);
        FusedOpCases.dropout(c, seed);
        FusedOpCases.im2col(c, seed);
        FusedOpCases.pool(c, seed);
        FusedOpCases.bias(c, seed);
        FusedOpCases.optimizers(c, seed);
    }

    @Property(tries = 50)
    void bernoulliOnDeviceIsBitIdenticalToCpu(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1 << 20) int counter,
                                              @ForAll @FloatRange(min = 0, max = 1) float p, @ForAll @IntRange(min = 0, max = 3000) int n) {
        Rng a = new Rng(new long[] {seed, counter}), b = new Rng(new long[] {seed, counter});
        float[] host = a.bernoulli(p, n).toArray();
        float[] device = b.bernoulli(p, OpenClTesting.device(), n).toArray();
        assertArrayEquals(host, device);
        assertArrayEquals(a.state(), b.state(), "both streams advanced by n");
    }
}
