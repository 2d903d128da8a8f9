package org.bgtai.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bgtai.audio.Audio;
import org.bgtai.audio.WavReader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the commands that read WAV files (embed, retrieve, generate) treat NaN and infinite samples:
 * refused with the file and sample index, or with {@code --repair-nonfinite} replaced with 0 and
 * counted on stderr.
 */
final class AudioOptions {
    @Option(names = "--repair-nonfinite", description = "replace NaN/infinite samples of float WAV files with 0 (and say how many) instead of refusing the file")
    boolean repairNonFinite;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** Reads {@code wav} under this policy; a repair is reported on stderr. */
    Audio read(Path wav) throws IOException {
        if (!Files.isRegularFile(wav)) throw new IOException(wav + ": no such file");
        try (WavReader r = WavReader.open(wav, repairNonFinite ? WavReader.NonFinite.ZERO : WavReader.NonFinite.REJECT)) {
            Audio a = r.readAll();
            if (r.replacedSamples() > 0) {
                PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new PrintWriter(System.err, true);
                err.println("bgtai: " + wav + ": replaced " + r.replacedSamples() + " NaN/infinite sample(s) of " + a.frames() * a.channels().length
                    + " with 0 (--repair-nonfinite)");
                err.flush();
            }
            if (a.frames() == 0) throw new IOException(wav + ": the WAV file holds no samples");
            return a;
        }
    }
}
