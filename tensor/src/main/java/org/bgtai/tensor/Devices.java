package org.bgtai.tensor;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Device names ({@code cpu}, {@code opencl:0}, ...): the CPU, and the {@link DeviceProvider}s
 * found on the classpath through {@link ServiceLoader} (or registered by hand).
 */
public final class Devices {
    private static final Map<String, DeviceProvider> PROVIDERS = new ConcurrentHashMap<>();

    static {
        for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader())) PROVIDERS.putIfAbsent(p.prefix(), p);
    }

    private Devices() {}

    /** Registers a provider for names {@code prefix} or {@code prefix:N} (replacing one found on the classpath). */
    public static void register(DeviceProvider provider) {
        PROVIDERS.put(provider.prefix(), provider);
    }

    /**
     * The device named by the system property {@code bgtai.device} or else the environment
     * variable {@code BGTAI_DEVICE} (e.g. {@code opencl:0}); the CPU when neither is set.
     */
    public static Device fromEnvironment() {
        String name = System.getProperty("bgtai.device");
        if (name == null || name.isBlank()) name = System.getenv("BGTAI_DEVICE");
        return parse(name);
    }

    static Device parse(String name) {
        if (name == null || name.isBlank() || name.equals("cpu")) return Device.CPU;
        String prefix = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        DeviceProvider p = PROVIDERS.get(prefix);
        if (p == null)
            throw new IllegalArgumentException("unknown device '" + name + "'; known: cpu"
                + (PROVIDERS.isEmpty() ? "" : ", " + String.join(", ", PROVIDERS.keySet()))
                + " (an offload backend must be on the classpath to use it)");
        return p.device(name);
    }
}
