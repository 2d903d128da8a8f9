package org.bgtai.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A terminal progress bar with rate and ETA, redrawn in place on a terminal and printed as
 * periodic plain lines when output is redirected (logs, CI).
 *
 * <pre>{@code
 * try (var bar = new ProgressBar("train", steps, "step")) {
 *     for (int i = 0; i < steps; i++) { ...; bar.step(1, "loss %.3f", loss); }
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
    private final String task;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private long drawnAt = -1;
    private String extra = "";

    public ProgressBar(String task, long total, String unit) {
        this(task, total, unit, System.err);
    }

    public ProgressBar(String task, long total, String unit, PrintStream out) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Advances by {@code n} units and sets the trailing status text. */
    public void step(long n, String fmt, Object... args) {
        extra = fmt == null ? "" : String.format(Locale.ROOT, fmt, args);
        step(n);
    }

    public void step(long n) {
        done += n;
        long now = System.nanoTime();
        long every = tty ? 100_000_000L : 10_000_000_000L;
        if (now - lastDraw >= every || done >= total) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        drawnAt = done;
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        double eta = rate > 0 && total > done ? (total - done) / rate : 0;
        int width = 24;
        int fill = total > 0 ? (int) Math.min(width, width * done / total) : 0;
        String bar = "#".repeat(fill) + "-".repeat(width - fill);
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s  %.1f %s/s  elapsed %s  eta %s  %s",
            task, bar, done, total, unit, rate, unit, time(secs), time(eta), extra);
        if (tty) out.print("\r" + line + "\u001b[K");
        else out.println(line);
        out.flush();
    }

    static String time(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
            : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    /** Seconds since the bar started. */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        if (drawnAt != done) draw(System.nanoTime());
        if (tty) out.println();
    }
}
