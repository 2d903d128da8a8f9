package org.bgtai.tensor;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is usable in this JVM. When
 * the JVM was started without {@code --add-modules jdk.incubator.vector}, every kernel falls back
 * to its scalar reference. {@code -Dbgtai.vector=false} forces the scalar path (for testing).
 */
public final class Vectorization {
    /** True when vector kernels are in use. */
    public static final boolean ENABLED = detect();

    private Vectorization() {}

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty("bgtai.vector", "true"))) return false;
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
