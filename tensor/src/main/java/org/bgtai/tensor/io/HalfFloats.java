package org.bgtai.tensor.io;

/**
 * Conversions between float32 and the two 16-bit float formats, as raw bit patterns in a
 * {@code short}.
 *
 * <ul>
 *   <li>F16 (IEEE 754 binary16): 1 sign, 5 exponent (bias 15), 10 mantissa bits; largest finite
 *       value 65504, smallest subnormal 2^-24.
 *   <li>BF16: the upper half of a float32 (1 sign, 8 exponent, 7 mantissa bits): same range as
 *       float32, about 3 significant decimal digits.
 * </ul>
 * Narrowing rounds to nearest, ties to even; values too large become infinity; NaN stays a (quiet)
 * NaN with its sign. Widening is exact.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** float32 &rarr; F16 bits, round to nearest even (the JDK's {@link Float#floatToFloat16}). */
    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }

    /** F16 bits &rarr; float32 (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** float32 &rarr; BF16 bits: keep the top 16 bits, rounding the dropped 16 to nearest even. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            // NaN: truncating could clear every mantissa bit (turning NaN into infinity); force quiet
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    /** BF16 bits &rarr; float32 (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
