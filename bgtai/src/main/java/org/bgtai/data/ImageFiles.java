package org.bgtai.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Image files (PNG, JPEG, BMP, GIF: what {@link ImageIO} reads) as model input. User images come
 * in any size, while a model's image tower was trained at one ({@code 32 x 32} RGB for the world
 * and paired data, {@code 28 x 28} grey for MNIST), so loaders {@link #resize} them to it.
 *
 * <pre>{@code
 * Image img = ImageFiles.read(Path.of("cat.jpg"), 3, 32, 32);   // [3, 32, 32] in [0, 1]
 * }</pre>
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** True when the file name ends in an image extension this class reads. */
    public static boolean isImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /** A PNG/JPEG as [channels, H, W] in [0, 1] at its own size (grey = mean of R, G, B; grey images give R = G = B). */
    public static Image read(Path f, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("images have 1 or 3 channels, got " + channels);
        BufferedImage bi;
        try {
            bi = ImageIO.read(f.toFile());
        } catch (IOException e) {
            throw new IOException(f + ": cannot read the image (" + e.getMessage() + ")", e);
        }
        if (bi == null) throw new IOException(f + ": not a readable PNG/JPEG image");
        return pixels(bi, channels);
    }

    /**
     * The PNG/JPEG held in {@code bytes} (e.g. a row of a table of files), as {@link #read(Path, int)}
     * reads a file; {@code name} names it in errors.
     */
    public static Image read(byte[] bytes, String name, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("images have 1 or 3 channels, got " + channels);
        BufferedImage bi;
        try {
            bi = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IOException(name + ": cannot read the image (" + e.getMessage() + ")", e);
        }
        if (bi == null) throw new IOException(name + ": not a readable PNG/JPEG image");
        return pixels(bi, channels);
    }

    private static Image pixels(BufferedImage bi, int channels) {
        int h = bi.getHeight(), w = bi.getWidth();
        float[] d = new float[channels * h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = bi.getRGB(x, y);
                float r = (rgb >> 16 & 255) / 255f, g = (rgb >> 8 & 255) / 255f, b = (rgb & 255) / 255f;
                if (channels == 1) d[y * w + x] = (r + g + b) / 3;
                else {
                    d[y * w + x] = r;
                    d[(h + y) * w + x] = g;
                    d[(2 * h + y) * w + x] = b;
                }
            }
        return new Image(channels, h, w, d);
    }

    /** {@link #read} then {@link #resize} to {@code height x width}. */
    public static Image read(Path f, int channels, int height, int width) throws IOException {
        return resize(read(f, channels), height, width);
    }

    /**
     * {@code img} at {@code height x width}, each output pixel the area-weighted mean of the input
     * pixels it covers (a box filter: shrinking averages instead of dropping pixels, so small
     * details do not alias; enlarging repeats pixels). The image is stretched, not cropped.
     */
    public static Image resize(Image img, int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        if (img.height() == height && img.width() == width) return img;
        int c = img.channels(), h = img.height(), w = img.width();
        float[] out = new float[c * height * width];
        double sy = (double) h / height, sx = (double) w / width;
        for (int oy = 0; oy < height; oy++) {
            double y0 = oy * sy, y1 = y0 + sy;
            for (int ox = 0; ox < width; ox++) {
                double x0 = ox * sx, x1 = x0 + sx;
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0, area = 0;
                    for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
                        double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                        if (wy <= 0) continue;
                        for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
                            double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                            if (wx <= 0) continue;
                            sum += wy * wx * img.get(ch, y, x);
                            area += wy * wx;
                        }
                    }
                    out[(ch * height + oy) * width + ox] = (float) (sum / area);
                }
            }
        }
        return new Image(c, height, width, out);
    }
}
