package org.bgtai.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.joint.DataSource;

/**
 * Which training data a data-parallel run uses, small enough to ship to every executor: each
 * executor loads (and caches, {@link ExecutorCache#data}) the same prepared splits from it, the
 * built-in world by generating it (no files), AV-Digits from a folder every executor can read (a
 * shared file system). The tasks then carry only batch indices into it.
 *
 * @param kind   {@code world} or {@code avdigits}
 * @param dir    the data folder of AV-Digits (holding {@code fsdd/} and {@code mnist/}); unused for the world
 * @param limit  AV-Digits: at most this many samples per split (0 = all)
 */
public record DataSpec(String kind, int canvas, int sampleRate, double seconds, int perClass, int evalPerClass, int heldOut, String dir, int limit)
    implements Serializable {
    private static final long serialVersionUID = 1L;

    public DataSpec {
        if (!kind.equals("world") && !kind.equals("avdigits"))
            throw new IllegalArgumentException("data-parallel training takes --data world or avdigits, not '" + kind + "'");
    }

    /** The built-in world of {@code c}. */
    public static DataSpec world(WorldConfig c) {
        return new DataSpec("world", c.canvas(), c.sampleRate(), c.seconds(), c.perClass(), c.evalPerClass(), c.heldOutCombinations(), "", 0);
    }

    /** AV-Digits from {@code dir} (null: {@code ../shared/data} or {@code $BGTAI_SHARED/data}), at most {@code limit} samples per split (0 = all). */
    public static DataSpec avDigits(Path dir, int limit) {
        return new DataSpec("avdigits", 0, 0, 0, 0, 0, 0, dir == null ? "" : dir.toAbsolutePath().toString(), limit);
    }

    /** The data source this names. */
    public DataSource source() throws IOException {
        if (kind.equals("world")) return new DataSource.World(new WorldConfig(canvas, sampleRate, seconds, perClass, evalPerClass, heldOut));
        DataSource.Digits d = DataSource.digits(DataSource.dataRoot(dir.isEmpty() ? null : Path.of(dir)));
        return limit > 0 ? new DataSource.Digits(d.fsdd(), d.mnist(), limit) : d;
    }
}
