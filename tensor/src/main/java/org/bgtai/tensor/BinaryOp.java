package org.bgtai.tensor;

/**
 * Elementwise two-input ops with NumPy broadcasting. Comparisons return 1.0 / 0.0. The
 * {@code *_GRAD} ops are fused derivative rules used by autograd: {@code op(x, g)} is
 * {@code g * f'(x)} for the activation {@code f} (for TANH_GRAD and SIGMOID_GRAD the first
 * operand is the forward output {@code y}).
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, ATAN2,
    GT, GE, LT, LE, EQ, NE,
    RELU_GRAD, GELU_GRAD, GELU_TANH_GRAD, SILU_GRAD, TANH_GRAD, SIGMOID_GRAD
}
