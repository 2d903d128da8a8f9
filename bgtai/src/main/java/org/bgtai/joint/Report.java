package org.bgtai.joint;

import org.bgtai.nn.train.Epoch;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.bgtai.data.Image;
import org.bgtai.tensor.io.AtomicFiles;

/** Headless PNG figures of a run: training curves and retrieval grids (java.awt, no extra dependency). */
public final class Report {
    private Report() {}

    /** One named curve over epochs. */
    public record Curve(String name, List<Epoch> history) {}

    /**
     * One line of a chart: points (x[i], y[i]); NaN values of y are skipped. With {@code lo} and
     * {@code hi} (null = none) a shaded band from lo[i] to hi[i] is drawn under the line (e.g. mean ± std over seeds).
     */
    public record Series(String name, double[] x, double[] y, double[] lo, double[] hi) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
            if ((lo == null) != (hi == null) || lo != null && (lo.length != x.length || hi.length != x.length))
                throw new IllegalArgumentException("series '" + name + "': the band needs lo and hi with one value per x (" + x.length + ")");
        }

        /** A line without a band. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null, null);
        }
    }

    /**
     * One chart panel.
     *
     * @param yRange fixed [lo, hi] of the y axis, or null to fit the data
     */
    public record Panel(String title, String xLabel, List<Series> series, double[] yRange) {}

    /** Two panels: training loss per epoch, and validation audio->image R@1 per epoch, one line per curve. */
    public static void plotCurves(Path png, List<Curve> curves) throws IOException {
        List<Series> loss = new java.util.ArrayList<>(), r1 = new java.util.ArrayList<>();
        for (Curve c : curves) {
            double[] x = c.history().stream().mapToDouble(Epoch::epoch).toArray();
            loss.add(new Series(c.name(), x, c.history().stream().mapToDouble(Epoch::loss).toArray()));
            r1.add(new Series(c.name(), x, c.history().stream().mapToDouble(e -> e.metric(JointRecipe.VAL_R1)).toArray()));
        }
        plotPanels(png, List.of(new Panel("training loss", "epoch", loss, null), new Panel("val audio->image R@1", "epoch", r1, new double[] {0, 1})));
    }

    /** Line charts side by side (one per panel), a shared legend below; headless PNG. */
    public static void plotPanels(Path png, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) throw new IllegalArgumentException("no panels to plot");
        int pw = 380, ph = 280, w = 130 + 460 * panels.size() - 80, h = 400;
        BufferedImage img = canvas(w, h);
        Graphics2D g = antialiased(img);
        for (int i = 0; i < panels.size(); i++) panel(g, 50 + 460 * i, 40, pw, ph, panels.get(i));
        List<Series> first = panels.get(0).series();
        for (int i = 0; i < first.size(); i++) {
            g.setColor(COLOURS[i % COLOURS.length]);
            g.fillRect(60 + 160 * i, 372, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(first.get(i).name(), 80 + 160 * i, 382);
        }
        g.dispose();
        writePng(png, img);
    }

    private static final Color[] COLOURS = {new Color(200, 50, 40), new Color(40, 90, 200), new Color(40, 150, 60), new Color(150, 60, 170),
        new Color(230, 140, 20), new Color(90, 90, 90)};

    private static void panel(Graphics2D g, int x0, int y0, int pw, int ph, Panel p) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY;
        for (Series s : p.series())
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isNaN(s.y()[i])) continue;
                lo = Math.min(lo, s.lo() != null && !Double.isNaN(s.lo()[i]) ? Math.min(s.lo()[i], s.y()[i]) : s.y()[i]);
                hi = Math.max(hi, s.hi() != null && !Double.isNaN(s.hi()[i]) ? Math.max(s.hi()[i], s.y()[i]) : s.y()[i]);
                xlo = Math.min(xlo, s.x()[i]);
                xhi = Math.max(xhi, s.x()[i]);
            }
        if (p.yRange() != null) {
            lo = p.yRange()[0];
            hi = p.yRange()[1];
        }
        if (!(hi > lo)) hi = (Double.isFinite(lo) ? lo : (lo = 0)) + 1;
        if (!(xhi > xlo)) {
            xlo = Double.isFinite(xlo) ? xlo : 0;
            xhi = xlo + 1;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title(), x0, y0 - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(x0, y0, pw, ph);
        for (int k = 0; k <= 4; k++) {
            double v = lo + (hi - lo) * k / 4;
            int y = y0 + ph - (int) (ph * k / 4.0);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x0 + 1, y, x0 + pw - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), x0 - 40, y + 4);
        }
        g.drawString(String.format(Locale.ROOT, "%s %s", p.xLabel(), num(xlo)), x0, y0 + ph + 15);
        String right = num(xhi);
        g.drawString(right, x0 + pw - g.getFontMetrics().stringWidth(right), y0 + ph + 15);
        for (int i = 0; i < p.series().size(); i++) band(g, x0, y0, pw, ph, p.series().get(i), COLOURS[i % COLOURS.length], lo, hi, xlo, xhi);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < p.series().size(); i++) {
            Series s = p.series().get(i);
            g.setColor(COLOURS[i % COLOURS.length]);
            int px = -1, py = -1;
            for (int j = 0; j < s.x().length; j++) {
                double v = s.y()[j];
                if (Double.isNaN(v)) continue;
                int x = x0 + (int) ((s.x()[j] - xlo) / (xhi - xlo) * pw);
                int y = y0 + ph - (int) ((v - lo) / (hi - lo) * ph);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** The series' band as translucent polygons over each run of points where y, lo and hi are defined. */
    private static void band(Graphics2D g, int x0, int y0, int pw, int ph, Series s, Color c, double lo, double hi, double xlo, double xhi) {
        if (s.lo() == null) return;
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
        java.util.List<int[]> run = new java.util.ArrayList<>();
        for (int j = 0; j <= s.x().length; j++) {
            boolean ok = j < s.x().length && !Double.isNaN(s.y()[j]) && !Double.isNaN(s.lo()[j]) && !Double.isNaN(s.hi()[j]);
            if (ok) {
                int x = x0 + (int) ((s.x()[j] - xlo) / (xhi - xlo) * pw);
                int yl = y0 + ph - (int) ((Math.max(lo, s.lo()[j]) - lo) / (hi - lo) * ph), yh = y0 + ph - (int) ((Math.min(hi, s.hi()[j]) - lo) / (hi - lo) * ph);
                run.add(new int[] {x, yl, yh});
                continue;
            }
            if (run.size() > 1) {
                int n = run.size();
                int[] xs = new int[2 * n], ys = new int[2 * n];
                for (int k = 0; k < n; k++) {
                    xs[k] = run.get(k)[0];
                    ys[k] = run.get(k)[2];
                    xs[2 * n - 1 - k] = run.get(k)[0];
                    ys[2 * n - 1 - k] = run.get(k)[1];
                }
                g.fillPolygon(xs, ys, 2 * n);
            }
            run.clear();
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** A grid: one row per query (its own image, then the retrieved images), each cell labelled. */
    public static void retrievalGrid(Path png, List<Image> queries, List<String> queryLabels, List<List<Image>> results, List<List<String>> resultLabels)
        throws IOException {
        List<List<Image>> rows = new java.util.ArrayList<>();
        List<List<String>> labels = new java.util.ArrayList<>();
        for (int r = 0; r < queries.size(); r++) {
            List<Image> row = new java.util.ArrayList<>(List.of(queries.get(r)));
            row.addAll(results.get(r));
            List<String> lab = new java.util.ArrayList<>(List.of(queryLabels.get(r)));
            lab.addAll(resultLabels.get(r));
            rows.add(row);
            labels.add(lab);
        }
        imageGrid(png, "query (true image) | top retrieved images for its audio", rows, labels);
    }

    /** A grid of images, row by row, each cell labelled below (rows may differ in length). */
    public static void imageGrid(Path png, String title, List<List<Image>> rows, List<List<String>> labels) throws IOException {
        int cell = 96, cols = 1;
        for (List<Image> r : rows) cols = Math.max(cols, r.size());
        BufferedImage img = canvas(cols * (cell + 10) + 10, rows.size() * (cell + 28) + 30);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.drawString(title, 10, 18);
        for (int r = 0; r < rows.size(); r++) {
            int y = 30 + r * (cell + 28);
            for (int c = 0; c < rows.get(r).size(); c++) {
                int x = 10 + c * (cell + 10);
                draw(g, rows.get(r).get(c), x, y, cell);
                g.setColor(Color.BLACK);
                g.drawString(labels.get(r).get(c), x, y + cell + 14);
            }
        }
        g.dispose();
        writePng(png, img);
    }

    /** A white {@code w x h} RGB image to draw a chart on (AWT headless: no display needed). */
    public static BufferedImage canvas(int w, int h) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** Graphics on {@code img} that antialias lines and shapes (charts; image grids draw pixels as they are). */
    public static Graphics2D antialiased(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    private static void draw(Graphics2D g, Image im, int x0, int y0, int cell) {
        double sx = (double) cell / im.width(), sy = (double) cell / im.height();
        double s = Math.min(sx, sy);
        for (int y = 0; y < im.height(); y++)
            for (int x = 0; x < im.width(); x++) {
                float r = im.get(0, y, x), gr = im.channels() == 3 ? im.get(1, y, x) : r, b = im.channels() == 3 ? im.get(2, y, x) : r;
                g.setColor(new Color(clamp(r), clamp(gr), clamp(b)));
                g.fillRect(x0 + (int) (x * s), y0 + (int) (y * s), (int) Math.ceil(s), (int) Math.ceil(s));
            }
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Writes {@code img} as a PNG, atomically (a reader never sees half a file), creating its folder. */
    public static void writePng(Path png, BufferedImage img) throws IOException {
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) java.nio.file.Files.createDirectories(dir);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bo)) throw new IOException("no PNG writer in this JDK");
        AtomicFiles.writeBytes(png, bo.toByteArray());
    }
}
