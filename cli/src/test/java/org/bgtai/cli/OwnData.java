package org.bgtai.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavEncoding;
import org.bgtai.audio.WavWriter;
import org.bgtai.tensor.Rng;
import picocli.CommandLine;

/**
 * A small labelled folder written by the tests of a user's own data: 3 classes x 6 clips of
 * synthetic tones (low 300 Hz, mid 900 Hz, high 2400 Hz, each clip a little detuned and noisy,
 * 16 kHz so the front end resamples) and one colour image per class at a size no model takes
 * (40 x 24), listed in
 * <ul>
 *   <li>{@code pairs.csv}: audio,image,text,label, plus one row whose WAV is missing and one whose WAV is corrupt;</li>
 *   <li>{@code labels.csv}: the ESC-50 layout (filename,category,fold), folds 1-3 of 2 clips per class each,
 *       plus the same missing and corrupt rows;</li>
 *   <li>{@code images/CLASS/*.png}: 4 images per class (shades of its colour) and one corrupt PNG.</li>
 * </ul>
 */
final class OwnData {
    private OwnData() {}

    static final String[] CLASSES = {"low", "mid", "high"};
    static final double[] HZ = {300, 900, 2400};
    static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE};
    static final int PER_CLASS = 6;

    /** Writes the folder under {@code dir}; returns {@code dir}. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("clips"));
        Files.createDirectories(dir.resolve("pics"));
        Rng rng = new Rng(5);
        StringBuilder pairs = new StringBuilder("audio,image,text,label\n"), labels = new StringBuilder("filename,category,fold\n");
        for (int c = 0; c < CLASSES.length; c++) {
            String pic = "pics/" + CLASSES[c] + ".png";
            png(dir.resolve(pic), COLOURS[c], 40, 24);
            for (int i = 0; i < PER_CLASS; i++) {
                String clip = CLASSES[c] + "_" + i + ".wav";
                tone(dir.resolve("clips").resolve(clip), HZ[c] * (1 + 0.03 * (rng.nextDouble() - 0.5)), rng);
                pairs.append("clips/").append(clip).append(',').append(pic).append(",\"a ").append(CLASSES[c]).append(" tone\",").append(CLASSES[c]).append('\n');
                labels.append(clip).append(',').append(CLASSES[c]).append(',').append(1 + i / 2).append('\n');
            }
        }
        Files.write(dir.resolve("clips/bad.wav"), "RIFF this is not a wave file at all".getBytes(StandardCharsets.US_ASCII));
        pairs.append("clips/gone.wav,pics/low.png,a low tone,low\n").append("clips/bad.wav,pics/mid.png,a mid tone,mid\n");
        labels.append("gone.wav,low,1\n").append("bad.wav,mid,2\n");
        Files.writeString(dir.resolve("pairs.csv"), pairs);
        Files.writeString(dir.resolve("labels.csv"), labels);
        for (int c = 0; c < CLASSES.length; c++) {
            Path d = dir.resolve("images").resolve(CLASSES[c]);
            Files.createDirectories(d);
            for (int i = 0; i < 4; i++) {
                float k = 0.6f + 0.1f * i;
                Color col = new Color(COLOURS[c].getRed() / 255f * k, COLOURS[c].getGreen() / 255f * k, COLOURS[c].getBlue() / 255f * k);
                png(d.resolve(i + ".png"), col, 20 + 4 * i, 20);
            }
        }
        Files.write(dir.resolve("images/low/broken.png"), new byte[] {1, 2, 3, 4});
        return dir;
    }

    /** A 0.5 s tone at 16 kHz with a little noise. */
    static void tone(Path f, double hz, Rng rng) throws IOException {
        int rate = 16000, n = rate / 2;
        float[] x = new float[n];
        for (int t = 0; t < n; t++) x[t] = (float) (0.5 * Math.sin(2 * Math.PI * hz * t / rate) + 0.02 * rng.nextGaussian());
        WavWriter.write(f, Audio.mono(rate, x), WavEncoding.PCM_S16);
    }

    static void png(Path f, Color c, int w, int h) throws IOException {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bi.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        ImageIO.write(bi, "png", f.toFile());
    }

    /** Exit code, standard output and everything written to standard error (picocli's and System.err). */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream old = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), log.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }
}
