package org.bgtai.tensor.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.bgtai.tensor.Device;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.OpenClTesting;
import org.junit.jupiter.api.Test;

class OpenClSmokeTest {
    @Test
    void handComputedMatmulAndSum() {
        Device dev = OpenClTesting.device();
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(dev);
        Tensor y = x.matmul(x.transpose(0, 1));
        assertArrayEquals(new float[] {14, 32, 32, 77}, y.toArray(), 1e-5f);
        assertArrayEquals(new float[] {5, 7, 9}, x.sum(0, false).toArray(), 1e-5f);
        assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, x.add(1f).toArray(), 1e-6f);
    }
}
