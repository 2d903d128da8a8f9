package org.bgtai.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST in IDX format (gzip or raw): images (magic {@code 0x00000803}, dims count x rows x cols,
 * unsigned bytes) and labels (magic {@code 0x00000801}, count, bytes 0-9). Every header field and
 * the payload length are checked; errors name the file and the fix.
 *
 * <p>The shared copy is the official test set only (10,000 images); this project splits it by
 * index: 0-7999 train, 8000-8999 val, 9000-9999 test ({@link #range}).
 *
 * <pre>{@code
 * Mnist m = Mnist.open(Path.of("shared/data/mnist"));   // t10k-images-idx3-ubyte.gz + labels
 * Image img = m.image(3);   // [1, 28, 28] in [0, 1]
 * int digit = m.label(3);
 * }</pre>
 */
public final class Mnist {
    public static final int IMAGE_MAGIC = 0x00000803, LABEL_MAGIC = 0x00000801;
    public static final String IMAGES = "t10k-images-idx3-ubyte.gz", LABELS = "t10k-labels-idx1-ubyte.gz";

    private final int count, rows, cols;
    private final byte[] pixels;
    private final byte[] labels;

    private Mnist(int count, int rows, int cols, byte[] pixels, byte[] labels) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Opens {@code dir/t10k-images-idx3-ubyte.gz} and {@code dir/t10k-labels-idx1-ubyte.gz}. */
    public static Mnist open(Path dir) throws IOException {
        if (!Files.isDirectory(dir))
            throw new IOException("MNIST folder " + dir + " does not exist; pass the folder holding " + IMAGES + " and " + LABELS);
        Path img = dir.resolve(IMAGES), lab = dir.resolve(LABELS);
        if (!Files.exists(img)) img = dir.resolve("t10k-images-idx3-ubyte");
        if (!Files.exists(lab)) lab = dir.resolve("t10k-labels-idx1-ubyte");
        return open(img, lab);
    }

    /** Reads an image file and a label file (each gzip or raw IDX) and checks they match. */
    public static Mnist open(Path imageFile, Path labelFile) throws IOException {
        for (Path p : new Path[] {imageFile, labelFile})
            if (!Files.isRegularFile(p)) throw new IOException("MNIST file " + p + " not found; download the IDX files (gzip or raw) into that folder");
        ByteBuffer ib = ByteBuffer.wrap(readMaybeGzip(imageFile));
        ByteBuffer lb = ByteBuffer.wrap(readMaybeGzip(labelFile));
        header(ib, imageFile, IMAGE_MAGIC, 16, "images (idx3-ubyte)");
        header(lb, labelFile, LABEL_MAGIC, 8, "labels (idx1-ubyte)");
        int n = ib.getInt(4), rows = ib.getInt(8), cols = ib.getInt(12);
        if (n < 0 || rows <= 0 || cols <= 0)
            throw new IOException(imageFile + ": bad IDX dims " + n + "x" + rows + "x" + cols);
        long need = 16L + (long) n * rows * cols;
        if (ib.capacity() != need)
            throw new IOException(imageFile + ": header says " + n + " images of " + rows + "x" + cols + " (" + need
                + " bytes) but the file has " + ib.capacity() + " bytes; the file is truncated or not MNIST");
        int nl = lb.getInt(4);
        if (lb.capacity() != 8L + nl)
            throw new IOException(labelFile + ": header says " + nl + " labels but the file has " + (lb.capacity() - 8) + " label bytes; the file is truncated");
        if (nl != n)
            throw new IOException("MNIST count mismatch: " + imageFile + " has " + n + " images but " + labelFile + " has " + nl + " labels");
        byte[] pixels = new byte[n * rows * cols];
        ib.get(16, pixels);
        byte[] labels = new byte[n];
        lb.get(8, labels);
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] > 9) throw new IOException(labelFile + ": label " + labels[i] + " at index " + i + " is not a digit 0-9");
        return new Mnist(n, rows, cols, pixels, labels);
    }

    private static void header(ByteBuffer b, Path f, int magic, int size, String what) throws IOException {
        if (b.capacity() < size)
            throw new IOException(f + ": only " + b.capacity() + " bytes, too short for an IDX " + what + " header");
        int m = b.getInt(0);
        if (m != magic)
            throw new IOException(String.format("%s: wrong IDX magic 0x%08x, expected 0x%08x for MNIST %s; is this the right file?", f, m, magic, what));
    }

    private static byte[] readMaybeGzip(Path f) throws IOException {
        byte[] raw = Files.readAllBytes(f);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IOException(f + ": corrupt gzip (" + e.getMessage() + "); download the file again", e);
            }
        }
        return raw;
    }

    public int size() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Digit of image {@code i}. */
    public int label(int i) {
        return labels[java.util.Objects.checkIndex(i, count)];
    }

    /** Image {@code i} as [1, rows, cols] with pixel / 255. */
    public Image image(int i) {
        java.util.Objects.checkIndex(i, count);
        float[] d = new float[rows * cols];
        int o = i * rows * cols;
        for (int k = 0; k < d.length; k++) d[k] = (pixels[o + k] & 0xff) / 255f;
        return new Image(1, rows, cols, d);
    }

    /** Index range [lo, hi) of a split: train 0-7999, val 8000-8999, test 9000-9999 (scaled down when fewer images). */
    public int[] range(Split split) {
        int a = count * 8 / 10, b = count * 9 / 10;
        return switch (split) {
            case TRAIN -> new int[] {0, a};
            case VAL -> new int[] {a, b};
            case TEST -> new int[] {b, count};
        };
    }

    /** Indices in {@code split} whose label is {@code digit}, ascending. */
    public int[] indicesOf(Split split, int digit) {
        int[] r = range(split);
        return java.util.stream.IntStream.range(r[0], r[1]).filter(i -> labels[i] == digit).toArray();
    }
}
