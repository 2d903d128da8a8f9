package org.bgtai.data;

/**
 * A channel-major float image in [0, 1]: {@code data[c * height * width + y * width + x]}.
 *
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   rows
 * @param width    columns
 * @param data     [channels, height, width]
 */
public record Image(int channels, int height, int width, float[] data) {
    public Image {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new IllegalArgumentException("image dims must be positive, got " + channels + "x" + height + "x" + width);
        if (data.length != channels * height * width)
            throw new IllegalArgumentException("image data has " + data.length + " values, expected " + channels + "*" + height + "*" + width);
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** Pixels concatenated left to right: all images must have the same channels and height. */
    public static Image hstack(java.util.List<Image> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("hstack of no images");
        int c = parts.get(0).channels, h = parts.get(0).height, w = 0;
        for (Image p : parts) {
            if (p.channels != c || p.height != h)
                throw new IllegalArgumentException("hstack needs equal channels/height, got " + p.channels + "x" + p.height + " vs " + c + "x" + h);
            w += p.width;
        }
        float[] out = new float[c * h * w];
        int x0 = 0;
        for (Image p : parts) {
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    System.arraycopy(p.data, (ch * h + y) * p.width, out, (ch * h + y) * w + x0, p.width);
            x0 += p.width;
        }
        return new Image(c, h, w, out);
    }
}
