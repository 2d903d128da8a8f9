package org.bgtai.autograd;

/**
 * Per-thread switch for graph recording.
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *     Var logits = model.forward(x);   // evaluation: no graph is built
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    public static boolean isEnabled() {
        return DISABLED.get()[0] == 0;
    }

    /** Disables recording until the returned scope is closed (scopes nest). */
    public static Scope noGrad() {
        int[] d = DISABLED.get();
        d[0]++;
        return () -> d[0]--;
    }

    /** A scope that needs no exception handling. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
