package org.bgtai.tensor;

/** Elementwise one-input ops: the primitive set every backend implements. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, RECIPROCAL, SQUARE, ABS, SIGN, SIN, COS, TANH, SIGMOID, RELU,
    /** Exact GELU, {@code x * Phi(x)} with the error function. */
    GELU,
    /** GELU with the tanh approximation (PyTorch {@code approximate='tanh'}). */
    GELU_TANH,
    /** {@code x * sigmoid(x)}. */
    SILU,
    ERF, LOG1P, EXPM1, FLOOR, CEIL, ROUND
}
