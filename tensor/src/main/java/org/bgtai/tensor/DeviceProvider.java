package org.bgtai.tensor;

/**
 * An offload backend's entry point: resolves device names with its prefix ({@code opencl:0}).
 * Implementations are listed in {@code META-INF/services/org.bgtai.tensor.DeviceProvider} and
 * found by {@link Devices} through {@link java.util.ServiceLoader}; one can also be registered by
 * hand with {@link Devices#register}.
 */
public interface DeviceProvider {
    /** The name prefix, e.g. {@code opencl}. */
    String prefix();

    /** The device {@code prefix} or {@code prefix:N}; errors name what is available. */
    Device device(String name);
}
