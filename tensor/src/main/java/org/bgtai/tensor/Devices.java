package org.bgtai.tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Registry of device providers by name prefix ({@code cpu}, {@code opencl}, ...). */
public final class Devices {
    private static final Map<String, Function<String, Device>> PROVIDERS = new ConcurrentHashMap<>();

    private Devices() {}

    /** Registers a provider for names {@code prefix} or {@code prefix:N}. */
    public static void register(String prefix, Function<String, Device> provider) {
        PROVIDERS.put(prefix, provider);
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
        Function<String, Device> p = PROVIDERS.get(prefix);
        if (p == null) {
            // Offload backends live in optional classes; load them on demand.
            if (prefix.equals("opencl")) tryLoad("org.bgtai.tensor.opencl.OpenClDevices");
            p = PROVIDERS.get(prefix);
        }
        if (p == null)
            throw new IllegalArgumentException("unknown device '" + name + "'; known: cpu"
                + (PROVIDERS.isEmpty() ? "" : ", " + String.join(", ", PROVIDERS.keySet()))
                + " (an offload backend must be on the classpath to use it)");
        return p.apply(name);
    }

    private static void tryLoad(String cls) {
        try {
            Class.forName(cls, true, Devices.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // not on the classpath: parse() reports the unknown device
        }
    }
}
