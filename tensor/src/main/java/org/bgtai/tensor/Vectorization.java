package org.bgtai.tensor;

import java.util.function.Consumer;

/**
 * Whether the incubating Vector API ({@code jdk.incubator.vector}) is usable in this JVM. When
 * the JVM was started without {@code --add-modules jdk.incubator.vector}, every kernel falls back
 * to its scalar reference, and the first kernel call (which loads this class) prints one warning
 * on stderr naming the flag. {@code -Dbgtai.vector=false} forces the scalar path (for testing)
 * without a warning.
 */
public final class Vectorization {
    /** The module the vector kernels need. */
    public static final String MODULE = "jdk.incubator.vector";

    /** True when vector kernels are in use. */
    public static final boolean ENABLED = detect(System.getProperty("bgtai.vector", "true"),
        ModuleLayer.boot().findModule(MODULE).isPresent(), System.err::println);

    private Vectorization() {}

    /**
     * Whether to use the vector kernels, given the {@code bgtai.vector} property and whether the
     * module is loaded; {@code warn} gets {@link #missingModuleWarning()} when the module is
     * missing and the scalar path was not asked for. Called once, when this class is initialised.
     */
    static boolean detect(String property, boolean modulePresent, Consumer<String> warn) {
        if (!Boolean.parseBoolean(property)) return false;
        if (!modulePresent) warn.accept(missingModuleWarning());
        return modulePresent;
    }

    /** The one-line warning printed when the module is missing. */
    static String missingModuleWarning() {
        return "bgtai: warning: the Vector API module " + MODULE + " is not loaded, so every kernel runs its scalar fallback (several times slower). "
            + "Start java with --add-modules " + MODULE + " (bin/bgtai and the Maven build do), or pass -Dbgtai.vector=false to choose the scalar code and silence this.";
    }
}
