package org.bgtai.tensor.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that either complete or leave the old file untouched.
 *
 * <p>The idea: write everything to a temporary file {@code .<name>.<random>.tmp} in the target's
 * own directory (so the final rename never crosses file systems), flush it and
 * {@code fsync} it ({@link FileChannel#force}), then rename it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. Readers see either the complete old file or the complete
 * new one, also after a crash or power loss. If the body or any step fails, the temporary file is
 * deleted and the exception is rethrown. Checkpoints, safetensors and JSON reports use this.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("ckpt.safetensors"), out -> out.write(bytes));
 * }</pre>
 *
 * <p>A symbolic link at {@code target} is replaced by a regular file, not followed. The temporary
 * file is created with the default permissions of new files (umask), like a plain write.
 *
 * <p>A target that is a device or a named pipe (also through links, as {@code /dev/stdout}), or
 * any path under {@code /dev}, is written in place: there is no file to replace, and replacing
 * the device node would be wrong. So {@code --json /dev/stdout} prints.
 *
 * <p>Test hook: with the system property {@value #PAUSE_PROPERTY} set to a marker, every write
 * pauses after the body's bytes are in the temporary file and before the fsync and the rename:
 * it prints {@code MARKER <target path>} on standard error and waits for a line on standard input
 * (end of input continues too). A test that kills the process there (KillResumeTest) crashes it in
 * the middle of a write. Unset (always, outside tests) it costs one test of a static final field.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** System property of the test hook that pauses every write before its rename (see the class comment). */
    public static final String PAUSE_PROPERTY = "bgtai.test.atomicWritePause";
    private static final String PAUSE_MARKER = System.getProperty(PAUSE_PROPERTY);

    /** Like {@link java.util.function.Consumer}, but may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /**
     * Writes {@code target} atomically with what {@code body} writes to the stream it is given.
     * The stream is buffered; the body may close it (closing only flushes) or leave it open.
     *
     * @throws IOException from the body or the file system; {@code target} is then unchanged
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) throw new IOException("cannot write " + target + ": it has no parent directory");
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist; create it first");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        if (isSpecial(absolute)) {
            writeInPlace(absolute, body);
            return;
        }
        Path temp = null;
        FileChannel channel = null;
        boolean done = false;
        try {
            for (int attempt = 0; channel == null; attempt++) {
                temp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) throw e;
                }
            }
            try (FileChannel ch = channel) {
                OutputStream raw = Channels.newOutputStream(ch);
                BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
                OutputStream forBody = new FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush(); // the channel is closed here, after force()
                    }
                };
                body.accept(forBody);
                buffered.flush();
                if (PAUSE_MARKER != null) pauseForTest(absolute);
                ch.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done && temp != null && channel != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    // keep the original failure; a stray .tmp file is harmless
                }
            }
        }
        syncDirectory(dir);
    }

    /** The test hook: says where the write stands and waits for a line on standard input (or its end). */
    private static void pauseForTest(Path target) throws IOException {
        synchronized (AtomicFiles.class) {
            System.err.println(PAUSE_MARKER + " " + target);
            System.err.flush();
            for (int c = System.in.read(); c != -1 && c != '\n'; c = System.in.read()) {
                // the line's content does not matter
            }
        }
    }

    /** A device or named pipe, followed through links ({@code /dev/null}, {@code /dev/stdout}), or anything under {@code /dev}. */
    private static boolean isSpecial(Path absolute) {
        if (absolute.startsWith("/dev/")) return true;
        return Files.exists(absolute) && !Files.isRegularFile(absolute) && !Files.isDirectory(absolute);
    }

    private static void writeInPlace(Path special, IOConsumer<OutputStream> body) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(special), 1 << 16)) {
            body.accept(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            });
        }
    }

    /** Names of the temporary files {@link #write} makes: {@code .<name>.<hex>.tmp}. */
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

    /**
     * Deletes the temporary files that writes into {@code dir} left when their process was killed
     * before the rename (they are never read, but each is as large as the file it was to become).
     * Only names of the form {@code .<name>.<hex>.tmp} in {@code dir} itself are touched; call it only
     * where no other process is writing into {@code dir} (a resumed training run owns its folder).
     *
     * @return how many were deleted (0 when {@code dir} does not exist)
     */
    public static int deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (TEMP.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Makes the rename durable: fsync of the directory (works on Linux/macOS; skipped where unsupported). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the rename itself is already atomic there.
        }
    }
}
