package org.bgtai.tensor;

import java.util.ServiceLoader;

/**
 * The {@link Device#CPU} instance. Its backend ({@code org.bgtai.tensor.cpu.CpuBackend}) is found
 * through {@link ServiceLoader} on first use, so this package depends only on the {@link Backend}
 * interface, not on its CPU implementation.
 */
final class CpuDevice implements Device {
    static final CpuDevice INSTANCE = new CpuDevice();

    private CpuDevice() {}

    /** Loaded once, on the first op; a constant for the JIT afterwards. */
    private static final class Lazy {
        static final Backend BACKEND = load();

        private static Backend load() {
            for (Backend b : ServiceLoader.load(Backend.class, CpuDevice.class.getClassLoader()))
                if (b.device() == INSTANCE) return b;
            throw new IllegalStateException("no CPU backend found: META-INF/services/org.bgtai.tensor.Backend of the bgtai-tensor jar"
                + " must list org.bgtai.tensor.cpu.CpuBackend; is the jar complete (or repackaged without its service files)?");
        }
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Backend backend() {
        return Lazy.BACKEND;
    }

    @Override
    public String toString() {
        return "cpu";
    }
}
