package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Conversions against bit patterns worked out by hand from the IEEE/bfloat16 layouts. */
class HalfFloatsTest {

    private static void f16(float in, int expectedBits) {
        assertEquals(String.format("0x%04X", expectedBits), String.format("0x%04X", HalfFloats.floatToF16(in) & 0xFFFF),
            "F16 of " + in);
    }

    private static void bf16(float in, int expectedBits) {
        assertEquals(String.format("0x%04X", expectedBits), String.format("0x%04X", HalfFloats.floatToBf16(in) & 0xFFFF),
            "BF16 of " + in);
    }

    @Test
    void floatToF16() {
        f16(1.0f, 0x3C00);                    // exponent 15, mantissa 0
        f16(-2.5f, 0xC100);                   // -1.25 * 2^1
        f16(0.0f, 0x0000);
        f16(-0.0f, 0x8000);
        f16(65504f, 0x7BFF);                  // largest finite half
        f16(65519f, 0x7BFF);                  // below the midpoint 65520: rounds down
        f16(65520f, 0x7C00);                  // midpoint to 65536: tie to even = infinity
        f16(1e6f, 0x7C00);
        f16(Float.POSITIVE_INFINITY, 0x7C00);
        f16(Float.NEGATIVE_INFINITY, 0xFC00);
        f16(0x1p-14f, 0x0400);                // smallest normal
        f16(0x1p-24f, 0x0001);                // smallest subnormal
        f16(1023 * 0x1p-24f, 0x03FF);         // largest subnormal
        f16(0x1p-25f, 0x0000);                // half of the smallest subnormal: tie to even (0)
        f16(3 * 0x1p-25f, 0x0002);            // 1.5 ulp: tie to even (2)
        f16(1 + 0x1p-11f, 0x3C00);            // halfway between 1 and 1+2^-10: even is 1
        f16(1 + 3 * 0x1p-11f, 0x3C02);        // halfway between 0x3C01 and 0x3C02: even
        f16(1 + 0x1p-11f + 0x1p-20f, 0x3C01); // just above halfway: up
        short nan = HalfFloats.floatToF16(Float.NaN);
        assertEquals(0x7C00, nan & 0x7C00, "NaN keeps an all-ones exponent");
        assertTrue((nan & 0x03FF) != 0, "NaN keeps a non-zero mantissa");
    }

    @Test
    void f16ToFloat() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(-2.5f, HalfFloats.f16ToFloat((short) 0xC100));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0.333251953125f, HalfFloats.f16ToFloat((short) 0x3555));
        assertEquals(5.9604645e-8f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(-0.0f, HalfFloats.f16ToFloat((short) 0x8000));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7C01)));
    }

    @Test
    void floatToBf16() {
        bf16(1.0f, 0x3F80);
        bf16(-2.5f, 0xC020);
        bf16(65504f, 0x4780);                                     // 0x477FE000 rounds up to 65536
        bf16(3.140625f, 0x4049);                                  // exactly representable
        bf16(Float.intBitsToFloat(0x3F808000), 0x3F80);           // tie, even stays
        bf16(Float.intBitsToFloat(0x3F818000), 0x3F82);           // tie, odd rounds up to even
        bf16(Float.intBitsToFloat(0x3F808001), 0x3F81);           // above the tie
        bf16(Float.intBitsToFloat(0x3F807FFF), 0x3F80);           // below the tie
        bf16(Float.MAX_VALUE, 0x7F80);                            // 0x7F7FFFFF rounds to infinity
        bf16(-Float.MAX_VALUE, 0xFF80);
        bf16(Float.POSITIVE_INFINITY, 0x7F80);
        bf16(Float.NEGATIVE_INFINITY, 0xFF80);
        bf16(Float.intBitsToFloat(0x00010000), 0x0001);           // subnormal kept
        bf16(Float.intBitsToFloat(0x00008000), 0x0000);           // subnormal tie, even
        bf16(Float.intBitsToFloat(0x00018000), 0x0002);           // subnormal tie, odd rounds up
        bf16(-0.0f, 0x8000);
        bf16(Float.intBitsToFloat(0x7F800001), 0x7FC0);           // NaN whose payload is in the dropped bits stays NaN
        bf16(Float.intBitsToFloat(0xFF800001), 0xFFC0);
        bf16(Float.NaN, 0x7FC0);
    }

    @Test
    void bf16ToFloat() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.5f, HalfFloats.bf16ToFloat((short) 0xC020));
        assertEquals(3.140625f, HalfFloats.bf16ToFloat((short) 0x4049));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0xFF80));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) 0x7FC0)));
    }

    @Test
    void everyHalfBitPatternRoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            boolean f16Nan = (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0;
            if (!f16Nan) assertEquals(h, HalfFloats.floatToF16(HalfFloats.f16ToFloat(h)), "F16 bits " + bits);
            boolean bf16Nan = (bits & 0x7F80) == 0x7F80 && (bits & 0x007F) != 0;
            if (!bf16Nan) assertEquals(h, HalfFloats.floatToBf16(HalfFloats.bf16ToFloat(h)), "BF16 bits " + bits);
        }
    }
}
