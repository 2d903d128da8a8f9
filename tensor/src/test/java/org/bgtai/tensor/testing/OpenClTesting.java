package org.bgtai.tensor.testing;

import org.bgtai.tensor.Device;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Access to an OpenCL device in tests. Without an OpenCL runtime (no library, no platform, no
 * device) the test is skipped with a message saying what is missing; with
 * {@code BGTAI_REQUIRE_OPENCL=1} (set by CI) it fails instead. The device is {@code opencl:0}
 * unless {@code -Dbgtai.opencl.device=opencl:N} says otherwise.
 */
public final class OpenClTesting {
    private OpenClTesting() {}

    /** True when a missing OpenCL device must fail tests instead of skipping them. */
    public static boolean required() {
        return "1".equals(System.getenv("BGTAI_REQUIRE_OPENCL")) || Boolean.getBoolean("bgtai.requireOpenCl");
    }

    /** Null when the test device opens, else why it does not. */
    public static String unavailableReason() {
        String name = System.getProperty("bgtai.opencl.device", "opencl:0");
        try {
            Device.parse(name);
            return null;
        } catch (RuntimeException | LinkageError e) {
            return "no usable OpenCL device '" + name + "': " + e.getMessage()
                + " (install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd to run OpenCL tests)";
        }
    }

    /** The OpenCL test device, or skips (fails under BGTAI_REQUIRE_OPENCL=1) when there is none. */
    public static Device device() {
        String name = System.getProperty("bgtai.opencl.device", "opencl:0");
        try {
            return Device.parse(name);
        } catch (RuntimeException | LinkageError e) {
            String msg = "no usable OpenCL device '" + name + "': " + e.getMessage();
            if (required()) Assertions.fail(msg + " [BGTAI_REQUIRE_OPENCL=1]", e);
            Assumptions.abort(msg + " (install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd to run OpenCL tests)");
            throw new AssertionError("unreachable");
        }
    }
}
