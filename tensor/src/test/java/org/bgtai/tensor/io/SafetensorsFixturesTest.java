package org.bgtai.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;

/**
 * Reads the PyTorch fixtures in {@code shared/fixtures/torch}. Fixtures are generated files (another
 * seed or PyTorch version may regenerate them), so no test pins their values: the checks recompute
 * each fixture's recorded outputs from its decoded inputs (linear, cross-entropy, STFT magnitude), an
 * independent check that the bytes are decoded right, and the layout (names, dtypes, shapes, the
 * configuration in the metadata) that the layer tests rely on. Decoding of exactly known bytes is
 * tested on a file this test writes by hand ({@link #aFileWrittenByHandDecodesToItsKnownValues}).
 */
class SafetensorsFixturesTest {

    @Test
    void linearOutputEqualsInputTimesWeightTransposedPlusBias() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("linear"))) {
            assertEquals(List.of("input", "weight", "bias", "output", "grad_output", "grad_input", "grad_weight", "grad_bias"),
                f.names());
            assertEquals(Map.of("op", "y = x @ W^T + b"), f.metadata());
            SafetensorsFile.Entry in = f.get("input");
            assertEquals(DType.F32, in.dtype());
            assertArrayEquals(new int[] {4, 7}, in.shape());
            assertEquals(28, in.numel());
            assertEquals(112, in.byteSize());
            float[] x = in.toFloatArray();
            float[] w = f.get("weight").toFloatArray();
            float[] b = f.get("bias").toFloatArray();
            float[] y = f.get("output").toFloatArray();
            assertEquals(5, b.length);
            for (int r = 0; r < 4; r++) {
                for (int o = 0; o < 5; o++) {
                    double acc = b[o];
                    for (int k = 0; k < 7; k++) acc += (double) x[r * 7 + k] * w[o * 7 + k];
                    assertEquals(acc, y[r * 5 + o], 1e-5 * Math.max(1, Math.abs(acc)), "output[" + r + "][" + o + "]");
                }
            }
            // grad_bias = sum over rows of grad_output
            float[] gy = f.get("grad_output").toFloatArray();
            float[] gb = f.get("grad_bias").toFloatArray();
            for (int o = 0; o < 5; o++) {
                double s = 0;
                for (int r = 0; r < 4; r++) s += gy[r * 5 + o];
                assertEquals(s, gb[o], 1e-5 * Math.max(1, Math.abs(s)));
            }
        }
    }

    @Test
    void crossEntropyTargetsAreI64ClassIndicesAndLossMatches() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("cross_entropy"))) {
            assertEquals(Map.of("ignore_index", "-100", "label_smoothing", "0.1", "reduction", "mean"), f.metadata());
            SafetensorsFile.Entry target = f.get("target");
            assertEquals(DType.I64, target.dtype());
            assertArrayEquals(new int[] {10}, target.shape());
            int[] t = target.toIntArray();
            for (int v : t) assertTrue(v == -100 || (v >= 0 && v < 13), "class index " + v + " outside [0, 13) and not ignore_index");
            long[] tl = target.toLongArray();
            float[] tf = target.toFloatArray();
            for (int i = 0; i < t.length; i++) {
                assertEquals(t[i], tl[i], "int and long views of target[" + i + "]");
                assertEquals(t[i], tf[i], 0f, "int and float views of target[" + i + "]");
            }

            // loss = mean over kept rows of (1 - eps) * -logp[target] + eps * mean_c(-logp[c])
            float[] logits = f.get("logits").toFloatArray();
            double eps = 0.1;
            double total = 0;
            int kept = 0;
            for (int r = 0; r < 10; r++) {
                if (t[r] == -100) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 13; c++) max = Math.max(max, logits[r * 13 + c]);
                double sum = 0;
                for (int c = 0; c < 13; c++) sum += Math.exp(logits[r * 13 + c] - max);
                double logZ = max + Math.log(sum);
                double meanNll = 0;
                for (int c = 0; c < 13; c++) meanNll += (logZ - logits[r * 13 + c]) / 13;
                total += (1 - eps) * (logZ - logits[r * 13 + t[r]]) + eps * meanNll;
                kept++;
            }
            float loss = f.get("loss").toFloatArray()[0];
            assertTrue(kept > 0, "every target is ignore_index");
            assertEquals(total / kept, loss, 1e-5 * loss);

            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> f.get("logits").toLongArray());
            assertTrue(e.getMessage().contains("\"logits\"") && e.getMessage().contains("F32"), e.getMessage());
        }
    }

    @Test
    void maskIsI64ZerosAndOnes() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("mha_cross"))) {
            SafetensorsFile.Entry mask = f.get("key_padding_mask");
            assertEquals(DType.I64, mask.dtype());
            assertEquals(2, mask.shape().length);
            int[] m = mask.toIntArray();
            long[] ml = mask.toLongArray();
            int cols = mask.shape()[1];
            for (int i = 0; i < m.length; i++) {
                assertTrue(m[i] == 0 || m[i] == 1, "mask value " + m[i] + " at " + i);
                assertEquals(m[i], ml[i]);
                // padding is at the end of a row: once a key is ignored, every later key of the row is
                if (i % cols > 0 && m[i - 1] == 1) assertEquals(1, m[i], "mask row " + i / cols + " pads before its end");
            }
            assertEquals("torch.nn.MultiheadAttention batch_first; key_padding_mask 1 = ignore", f.metadata().get("layout"));
        }
    }

    @Test
    void metadataOfOtherFixtures() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("adamw"))) {
            assertEquals(List.of("lr", "betas", "eps", "weight_decay"), List.copyOf(f.metadata().keySet()));
            assertEquals(Map.of("lr", "0.01", "betas", "0.9,0.98", "eps", "1e-08", "weight_decay", "0.05"), f.metadata());
            assertArrayEquals(new int[] {5, 6}, f.get("params_after_each_step").shape());
        }
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("stft"))) {
            assertEquals("periodic hann", f.metadata().get("window"));
            assertEquals("400", f.metadata().get("n_fft"));
            assertArrayEquals(new int[] {2, 201, 26}, f.get("magnitude").shape());
            // magnitude^2 = real^2 + imag^2, decoded from three different byte ranges
            float[] m = f.get("magnitude").toFloatArray();
            float[] re = f.get("real").toFloatArray();
            float[] im = f.get("imag").toFloatArray();
            for (int i = 0; i < m.length; i += 97) {
                double mag = Math.hypot(re[i], im[i]);
                assertEquals(mag, m[i], 1e-4 * Math.max(1, mag));
            }
        }
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("encoder_layer_prenorm"))) {
            assertEquals("True", f.metadata().get("norm_first"));
            assertEquals(16, f.names().size());
            assertEquals("param.self_attn.in_proj_weight", f.names().get(0));
            assertArrayEquals(new int[] {48, 16}, f.get("param.self_attn.in_proj_weight").shape());
        }
    }

    @Test
    void everyFixtureOpensAndDecodes() throws IOException {
        Path dir = Shared.require("fixtures/torch");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no fixtures in " + dir);
        for (Path p : files) {
            try (SafetensorsFile f = SafetensorsFile.open(p)) {
                assertFalse(f.names().isEmpty(), p.toString());
                long bytes = 0;
                for (SafetensorsFile.Entry e : f.entries()) {
                    long numel = 1;
                    for (int d : e.shape()) numel *= d;
                    assertEquals(numel, e.numel(), e.toString());
                    float[] v = e.toFloatArray();
                    assertEquals(numel, v.length, e.toString());
                    for (float x : v) assertTrue(Float.isFinite(x), p.getFileName() + " " + e + " has a non-finite value");
                    assertEquals(numel * e.dtype().size(), e.buffer().remaining());
                    bytes += e.byteSize();
                }
                // the tensors tile the data section exactly: 8 + header + data == file size
                long header;
                try (var in = new java.io.DataInputStream(Files.newInputStream(p))) {
                    header = Long.reverseBytes(in.readLong());
                }
                assertEquals(Files.size(p), 8 + header + bytes, p.toString());
            }
        }
    }

    @Test
    void aFileWrittenByHandDecodesToItsKnownValues(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        // little-endian bytes laid out by hand (not by SafetensorsWriter): F32 [2, 2] then I64 [3]
        float[] w = {-0.3112895f, 1.5f, -1.2206913f, 0x1p-126f};
        long[] t = {5, -100, 1L << 40};
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(16 + 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : w) data.putFloat(v);
        for (long v : t) data.putLong(v);
        String header = "{\"__metadata__\":{\"op\":\"hand\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"t\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[16,40]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + h.length + 40).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.putLong(h.length).put(h).put(data.array());
        Path p = dir.resolve("hand.safetensors");
        Files.write(p, file.array());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("w", "t"), f.names());
            assertEquals(Map.of("op", "hand"), f.metadata());
            assertArrayEquals(new int[] {2, 2}, f.get("w").shape());
            assertArrayEquals(w, f.get("w").toFloatArray());
            assertEquals(DType.I64, f.get("t").dtype());
            assertArrayEquals(t, f.get("t").toLongArray());
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> f.get("t").toIntArray());
            assertTrue(e.getMessage().contains("\"t\""), e.getMessage());
        }
    }

    @Test
    void missingNameListsAvailableNames() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("linear"))) {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> f.get("weights"));
            assertTrue(e.getMessage().contains("\"weights\"") && e.getMessage().contains("\"weight\"")
                && e.getMessage().contains("\"grad_bias\"") && e.getMessage().contains("linear.safetensors"), e.getMessage());
            assertTrue(f.contains("weight"));
            assertFalse(f.contains("weights"));
        }
    }

    @Test
    void entriesCannotBeReadAfterClose() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(Shared.torchFixture("linear"));
        SafetensorsFile.Entry w = f.get("weight");
        f.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, w::toFloatArray);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
