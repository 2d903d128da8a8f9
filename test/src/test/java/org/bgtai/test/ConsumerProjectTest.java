package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project outside the build ({@code examples/consumer/}: its own pom importing {@code bgtai-bom},
 * depending on {@code bgtai}) compiles, packages and runs against the library as installed.
 *
 * <p>Why not the user's local repository: {@code mvn verify} (CI's command) installs nothing, and a
 * test must not write there. So the test lays out a temporary local repository: the jars this
 * build just made (the {@code test} module runs after every library module is packaged) and the
 * poms (parent, BOM, modules) under {@code org/bgtai/}, exactly where {@code mvn install} puts
 * them, and everything else of the build's own local repository (plugins, third-party jars)
 * linked in, so that an offline build finds it. Then {@code mvn -o package} of a copy of the
 * consumer, and {@code java} of its main class.
 */
class ConsumerProjectTest {
    /** The checkout root: surefire runs the tests in test/. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The library modules the consumer needs: folder and artifactId. */
    static final String[][] LIBRARY = {{"tensor", "bgtai-tensor"}, {"autograd", "bgtai-autograd"}, {"nn", "bgtai-nn"}, {"audio", "bgtai-audio"}, {"bgtai", "bgtai"}};

    @Test
    void theConsumerProjectBuildsAndRunsAgainstTheInstalledArtifacts(@TempDir Path tmp) throws Exception {
        String version = System.getProperty("bgtai.version", BuildFilesTest.first(Files.readString(ROOT.resolve("pom.xml")), "<version>([^<]+)</version>"));
        Path consumer = ROOT.resolve("examples/consumer");
        String pom = Files.readString(consumer.resolve("pom.xml"));
        assertEquals(version, BuildFilesTest.first(pom, "<artifactId>bgtai-bom</artifactId>\\s*<version>([^<]+)</version>"),
            "examples/consumer/pom.xml imports another BGTAI version than the project's; update its bgtai-bom version");
        assertFalse(BuildFilesTest.modules().stream().anyMatch(m -> m.startsWith("examples/") || m.equals("consumer")), "the consumer is not a module of the build");
        for (String[] m : LIBRARY) {
            Path jar = ROOT.resolve(m[0]).resolve("target").resolve(m[1] + "-" + version + ".jar");
            Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: " + jar + " is not built; run mvn package -DskipTests (mvn verify builds it before this test)");
        }
        Path real = Path.of(System.getProperty("bgtai.localRepository", System.getProperty("user.home") + "/.m2/repository"));
        assertTrue(Files.isDirectory(real.resolve("org")), "the build's local repository " + real + " has no org/ (plugins); pass -Dbgtai.localRepository=DIR");

        // the temporary local repository: the build's own, linked, but org/bgtai/ made here
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("org/bgtai"));
        link(real, repo, "org");
        link(real.resolve("org"), repo.resolve("org"), "bgtai");
        install(repo, "bgtai-parent", version, ROOT.resolve("pom.xml"), null);
        install(repo, "bgtai-bom", version, ROOT.resolve("bom/pom.xml"), null);
        for (String[] m : LIBRARY)
            install(repo, m[1], version, ROOT.resolve(m[0]).resolve("pom.xml"), ROOT.resolve(m[0]).resolve("target").resolve(m[1] + "-" + version + ".jar"));

        // a copy of the consumer, so that its target/ stays out of the checkout
        Path project = tmp.resolve("consumer");
        copy(consumer, project);
        String javaHome = System.getProperty("java.home");
        String mavenHome = System.getProperty("bgtai.mavenHome", "");
        String mvn = !mavenHome.isEmpty() && Files.isExecutable(Path.of(mavenHome, "bin", "mvn")) ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        String build = run(project, tmp.resolve("mvn.log"), javaHome, mvn, "-o", "-B", "-q", "-Dmaven.repo.local=" + repo, "-DskipTests",
            "package", "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt");
        Path jar = project.resolve("target/bgtai-consumer-1.0.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package of the consumer made no jar:\n" + build);
        String cp = Files.readString(project.resolve("target/classpath.txt")).trim();
        for (String[] m : LIBRARY) assertTrue(cp.contains(repo.resolve("org/bgtai").resolve(m[1]).toString()), "the consumer's classpath lacks " + m[1] + ": " + cp);

        String out = run(project, tmp.resolve("java.log"), javaHome, Path.of(javaHome, "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
            "-cp", jar + java.io.File.pathSeparator + cp, "org.bgtai.consumer.Consumer");
        // [1 2 3; 4 5 6] times its transpose, by hand: 1+4+9, 4+10+18, 16+25+36
        assertTrue(out.contains("x x^T = [14.0, 32.0, 32.0, 77.0]"), out);
        assertTrue(out.contains("built-in world sample: text '"), out);
        assertTrue(out.contains("image 3x32x32"), out);
    }

    /** Links every entry of {@code from} into {@code to} except {@code except}. */
    private static void link(Path from, Path to, String except) throws IOException {
        try (DirectoryStream<Path> d = Files.newDirectoryStream(from)) {
            for (Path p : d)
                if (!p.getFileName().toString().equals(except)) Files.createSymbolicLink(to.resolve(p.getFileName().toString()), p.toAbsolutePath());
        }
    }

    /** {@code pom} (and {@code jar}) where {@code mvn install} puts them. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("org/bgtai").resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
        if (jar != null) Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs a command in {@code dir} with JAVA_HOME set and MAVEN_OPTS cleared; fails with its output unless it exits 0 within 3 minutes. */
    private static String run(Path dir, Path log, String javaHome, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().remove("MAVEN_OPTS");   // its -Dmaven.repo.local would win over ours
        Process p = pb.start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, String.join(" ", cmd) + " ran past 3 minutes:\n" + out);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
