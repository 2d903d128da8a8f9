package org.bgtai.tensor;

/**
 * Where a tensor's storage lives. {@link #CPU} is always available; offload devices (OpenCL)
 * register their own instances. The device is a property of the tensor: ops run on the
 * device of their operands, and mixing devices in one op is an error.
 */
public interface Device {
    /** The CPU device (Java heap arrays, Vector API kernels of {@code org.bgtai.tensor.cpu}). */
    Device CPU = CpuDevice.INSTANCE;

    /** Stable name such as {@code cpu} or {@code opencl:0}. */
    String name();

    /** The backend that runs ops on this device. */
    Backend backend();

    /**
     * Resolves a device name: {@code cpu}, or a name registered by an offload backend (e.g.
     * {@code opencl:0}).
     */
    static Device parse(String name) {
        return Devices.parse(name);
    }
}
