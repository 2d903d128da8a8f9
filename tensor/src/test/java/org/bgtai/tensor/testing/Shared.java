package org.bgtai.tensor.testing;

import java.nio.file.Path;
import org.bgtai.tensor.io.SharedFiles;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test access to {@code ../shared} (fixtures and data sets).
 *
 * <p>When the folder or file is missing the test is skipped with a message saying what is
 * missing, so a fresh clone passes; with {@code BGTAI_REQUIRE_SHARED=1} (set by {@code .ci/run})
 * a missing file fails the test instead.
 */
public final class Shared {
    private Shared() {}

    /** True when missing shared files must fail tests instead of skipping them. */
    public static boolean required() {
        return "1".equals(System.getenv("BGTAI_REQUIRE_SHARED"))
            || Boolean.getBoolean("bgtai.requireShared");
    }

    /** {@code shared/<relative>}, or skips (fails under BGTAI_REQUIRE_SHARED=1) when absent. */
    public static Path require(String relative) {
        Path p = SharedFiles.find(relative);
        if (p == null) {
            String msg = "shared file '" + relative + "' not found (looked in -Dbgtai.shared, $BGTAI_SHARED, ../shared);"
                + " put the shared/ folder beside the checkout to run this test";
            if (required()) Assertions.fail(msg + " [BGTAI_REQUIRE_SHARED=1]");
            Assumptions.abort(msg);
        }
        return p;
    }

    /** A file under {@code shared/fixtures/torch/}. */
    public static Path torchFixture(String name) {
        return require("fixtures/torch/" + name + (name.endsWith(".safetensors") ? "" : ".safetensors"));
    }
}
