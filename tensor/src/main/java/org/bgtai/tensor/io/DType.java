package org.bgtai.tensor.io;

/**
 * Element types of safetensors files that this package reads: their header name (the enum name,
 * e.g. {@code "BF16"}) and their size in bytes. All are little-endian in the file.
 *
 * <p>The declaration order follows the reference implementation's {@code Dtype} enum
 * (huggingface/safetensors), which {@link SafetensorsWriter} uses to lay tensors out: by dtype in
 * descending order of this enum, then by name.
 */
public enum DType {
    /** One byte per element, 0 = false, anything else = true. */
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    I16(2, false),
    /** IEEE 754 half precision (1 sign, 5 exponent, 10 mantissa bits). */
    F16(2, true),
    /** bfloat16: the upper 16 bits of a float32 (1 sign, 8 exponent, 7 mantissa bits). */
    BF16(2, true),
    I32(4, false),
    F32(4, true),
    F64(8, true),
    I64(8, false);

    private final int size;
    private final boolean floatingPoint;

    DType(int size, boolean floatingPoint) {
        this.size = size;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** True for F16, BF16, F32 and F64. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype with this header name, or {@code null} if this package does not know it. */
    public static DType fromName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }
}
