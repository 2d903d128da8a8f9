package org.bgtai.nn;

import org.bgtai.autograd.Var;

/**
 * Elementwise activations (PyTorch {@code F.relu}, {@code F.gelu(approximate='none'|'tanh')},
 * {@code F.silu}):
 * <ul>
 * <li>{@code RELU(x) = max(x, 0)}
 * <li>{@code GELU(x) = x * Phi(x) = x/2 (1 + erf(x / sqrt 2))}
 * <li>{@code GELU_TANH(x) = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}
 * <li>{@code SILU(x) = x * sigmoid(x)}
 * </ul>
 * Any shape in, the same shape out. {@code Activation.GELU.apply(x)}.
 */
public enum Activation {
    RELU, GELU, GELU_TANH, SILU;

    /** @param x [...] @return [...] */
    public Var apply(Var x) {
        return switch (this) {
            case RELU -> x.relu();
            case GELU -> x.gelu();
            case GELU_TANH -> x.geluTanh();
            case SILU -> x.silu();
        };
    }

    /** The PyTorch name ({@code "relu"}, {@code "gelu"}, ...) to an activation. */
    public static Activation parse(String name) {
        return switch (name.toLowerCase()) {
            case "relu" -> RELU;
            case "gelu" -> GELU;
            case "gelu_tanh", "gelu-tanh" -> GELU_TANH;
            case "silu", "swish" -> SILU;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; use relu, gelu, gelu_tanh or silu");
        };
    }
}
