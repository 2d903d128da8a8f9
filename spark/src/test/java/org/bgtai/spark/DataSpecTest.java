package org.bgtai.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.bgtai.data.BuiltinWorld.WorldConfig;
import org.bgtai.joint.DataSource;
import org.bgtai.model.ModelConfig;
import org.bgtai.tensor.testing.Shared;
import org.junit.jupiter.api.Test;

/** What executors load from a data description: the world by generation, AV-Digits from a shared folder. */
class DataSpecTest {
    @Test
    void worldAndAvDigitsLoadFromTheirDescription() throws Exception {
        WorldConfig w = new WorldConfig(16, 8000, 0.2, 1, 1, 2);
        DataSource.World world = (DataSource.World) DataSpec.world(w).source();
        assertEquals(w, world.config());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new DataSpec("strings", 0, 0, 0, 0, 0, 0, "", 0));
        assertTrue(bad.getMessage().contains("world or avdigits"), bad.getMessage());

        Path data = Shared.require("data/fsdd").getParent();   // skipped (failed with BGTAI_REQUIRE_SHARED=1) without ../shared/data
        ModelConfig mc = ModelConfig.digits(ModelConfig.Variant.BGTAI);
        DataSpec spec = DataSpec.avDigits(data, 40);
        DataSource.Loaded d = ExecutorCache.data(spec, mc, 1);
        assertEquals("avdigits", spec.kind());
        assertTrue(d.train().length > 0 && d.train().length <= 40 && d.test().length <= 40, d.train().length + " train, " + d.test().length + " test");
        assertSame(d, ExecutorCache.data(spec, mc, 1), "loaded once per JVM");
        Exception missing = assertThrows(Exception.class, () -> DataSpec.avDigits(data.resolve("nowhere"), 0).source());
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }
}
