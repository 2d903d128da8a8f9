package org.bgtai.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without --add-modules jdk.incubator.vector the kernels say so once, naming the flag, and still compute. */
class VectorizationTest {
    @Test
    void warnsOnlyWhenTheModuleIsMissingAndScalarWasNotAskedFor() {
        List<String> warnings = new ArrayList<>();
        assertTrue(Vectorization.detect("true", true, warnings::add));
        assertEquals(List.of(), warnings);
        assertFalse(Vectorization.detect("false", false, warnings::add));
        assertFalse(Vectorization.detect("false", true, warnings::add));
        assertEquals(List.of(), warnings, "-Dbgtai.vector=false is a choice, not a problem");
        assertFalse(Vectorization.detect("true", false, warnings::add));
        assertEquals(1, warnings.size());
        String w = warnings.get(0);
        assertTrue(w.contains("--add-modules jdk.incubator.vector"), w);
        assertFalse(w.contains("\n"), w);
    }

    @Test
    void testsRunWithTheModule() {
        assertTrue(Vectorization.ENABLED, "surefire starts the tests with --add-modules jdk.incubator.vector (bgtai.jvmFlags)");
    }

    /** Runs {@link Probe} in a JVM without the module; the warning appears once on stderr, the result is right. */
    @Test
    void aJvmWithoutTheModuleWarnsOnceAtTheFirstKernelCall() throws IOException, InterruptedException {
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaExe.toString(), "-cp", System.getProperty("java.class.path"), Probe.class.getName()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("before\n6.0\n6.0\n", out.replace("\r", ""), err);
        String w = Vectorization.missingModuleWarning();
        assertEquals(1, err.split(java.util.regex.Pattern.quote(w), -1).length - 1, "the warning once:\n" + err);
    }

    /** Two kernel calls in a JVM started without --add-modules jdk.incubator.vector. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("before");
            for (int k = 0; k < 2; k++) {
                Tensor a = Tensor.of(new float[] {1, 2, 3}, 1, 3), b = Tensor.of(new float[] {1, 1, 1}, 3, 1);
                System.out.println(a.matmul(b).toArray()[0]);
            }
        }
    }
}
