package org.bgtai.tensor.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bgtai.tensor.Device;
import org.bgtai.tensor.Devices;
import org.bgtai.tensor.IntTensor;
import org.bgtai.tensor.Tensor;
import org.bgtai.tensor.testing.OpenClTesting;
import org.junit.jupiter.api.Test;

/** Device selection, buffer lifetime, hand-computed results and the error messages of bad input. */
class OpenClDeviceTest {
    private final Device dev = OpenClTesting.device();

    @Test
    void handComputedMatmulSumAndSoftmax() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(dev);
        assertArrayEquals(new float[] {14, 32, 32, 77}, x.matmul(x.transpose(0, 1)).toArray(), 1e-5f);
        assertArrayEquals(new float[] {5, 7, 9}, x.sum(0, false).toArray(), 1e-5f);
        assertArrayEquals(new float[] {6, 15}, x.sum(1, false).toArray(), 1e-5f);
        float e = (float) Math.E;
        float z = 1 + e + e * e;
        assertArrayEquals(new float[] {1 / z, e / z, e * e / z}, x.narrow(0, 0, 1).softmax(-1).toArray(), 1e-6f);
    }

    @Test
    void argmaxTakesFirstTieAndFirstNaN() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, Float.NaN, 2, Float.NaN}, 2, 3).to(dev);
        assertArrayEquals(new int[] {1, 0}, x.argmax(1, false).data());
        assertArrayEquals(new int[] {0, 0}, x.argmin(1, false).data());
    }

    @Test
    void parseReturnsOneInstancePerName() {
        assertSame(dev, Device.parse("opencl:0"));
        assertSame(dev, Device.parse("opencl"));
        assertEquals("opencl:0", dev.name());
        String old = System.getProperty("bgtai.device");
        try {
            System.setProperty("bgtai.device", "opencl:0");
            assertSame(dev, Devices.fromEnvironment());
        } finally {
            if (old == null) System.clearProperty("bgtai.device");
            else System.setProperty("bgtai.device", old);
        }
    }

    @Test
    void unknownDeviceNumberListsTheDevices() {
        var e = assertThrows(IllegalArgumentException.class, () -> Device.parse("opencl:99"));
        assertTrue(e.getMessage().contains("opencl:99 not found") && e.getMessage().contains("opencl:0 = "), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Device.parse("opencl:first"));
        assertTrue(bad.getMessage().contains("opencl:N"), bad.getMessage());
    }

    @Test
    void closedBufferIsReportedWithTheTensorShape() {
        OpenClDevice d = (OpenClDevice) dev;
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(dev);
        ClBuffer b = (ClBuffer) x.storage();
        long before = d.liveBytes();
        b.close();
        b.close();  // idempotent
        assertTrue(b.isClosed());
        assertEquals(before - 24, d.liveBytes(), "closing frees the 24 bytes at once");
        var e = assertThrows(IllegalStateException.class, () -> x.add(1f));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, x::toArray);
        assertThrows(IllegalStateException.class, () -> x.transpose(0, 1).contiguous());
    }

    @Test
    void mixingDevicesIsAnError() {
        Tensor a = Tensor.ones(2, 2).to(dev), b = Tensor.ones(2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("different devices") && e.getMessage().contains("opencl:0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
    }

    @Test
    void kernelBuildFailureIncludesTheBuildLog() {
        OpenClDevice d = (OpenClDevice) dev;
        var e = assertThrows(OpenClException.class,
            () -> d.compileCheck("kernel void broken(global float* x) { x[0] = no_such_symbol; }"));
        assertTrue(e.getMessage().contains("build failed") && e.getMessage().contains("build log")
            && e.getMessage().contains("no_such_symbol"), e.getMessage());
        d.compileCheck("kernel void fine(global float* x) { x[0] = 1.0f; }");
    }

    @Test
    void oversizedAllocationNamesTheBytes() {
        OpenClDevice d = (OpenClDevice) dev;
        long floats = d.maxAllocBytes() / 4 + 1;
        org.junit.jupiter.api.Assumptions.assumeTrue(floats <= Integer.MAX_VALUE - 8,
            "the device's largest buffer (" + d.maxAllocBytes() + " bytes) holds any int-indexed tensor");
        var e = assertThrows(OpenClException.class, () -> d.alloc((int) floats));
        assertTrue(e.getMessage().contains(String.valueOf(4 * floats)), e.getMessage());
    }

    @Test
    void transfersRoundTripAndScalarsWork() {
        float[] v = {1.5f, -2f, 3.25f};
        Tensor t = Tensor.vector(v).to(dev);
        assertSame(dev, t.device());
        assertArrayEquals(v, t.to(Device.CPU).toArray());
        assertEquals(2.75f, t.sum().item(), 1e-6f);
        assertEquals(-2f, t.get(1));
        assertArrayEquals(new float[0], Tensor.zeros(0, 3).to(dev).toArray());
        assertArrayEquals(new int[] {0, 3}, dev.backend().full(7f, 0, 3).shape());
        assertArrayEquals(new int[] {2}, IntTensor.of(1, 0).shape());
    }
}
