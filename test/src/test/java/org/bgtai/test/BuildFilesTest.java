package org.bgtai.test;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build files agree with each other: the BOM lists every module that makes a jar, at the
 * project's version, and every such module names its Java module (Automatic-Module-Name).
 */
class BuildFilesTest {
    /** The checkout root: surefire runs the tests in test/. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static String first(String xml, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    /** The root pom's modules. */
    static List<String> modules() throws IOException {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(root);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The own artifactId of a pom (not its parent's). */
    static String artifactId(String pom) {
        return first(pom.replaceAll("(?s)<parent>.*?</parent>", ""), "<artifactId>([^<]+)</artifactId>");
    }

    @Test
    void theBomListsEveryJarModuleAtTheProjectVersion() throws IOException {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        String version = first(root.replaceAll("(?s)<parent>.*?</parent>", ""), "<version>([^<]+)</version>");
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
        assertTrue(modules().contains("bom"), "the root pom builds bom/");
        assertEquals("bgtai-bom", artifactId(bom));
        assertEquals(version, first(bom, "<artifactId>bgtai-bom</artifactId>\\s*<version>([^<]+)</version>"), "bom/pom.xml's version is the project's");
        for (String module : modules()) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) continue;   // no jar: the parent, bom, test
            String id = artifactId(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
            assertTrue(bom.contains("<artifactId>" + id + "</artifactId>"), "bom/pom.xml does not manage " + id + " (module " + module + "); add it");
        }
    }

    @Test
    void everyJarModuleNamesItsJavaModuleOnce() throws IOException {
        Set<String> names = new HashSet<>();
        for (String module : modules()) {
            if (!Files.isDirectory(ROOT.resolve(module).resolve("src/main/java"))) continue;
            String name = first(Files.readString(ROOT.resolve(module).resolve("pom.xml")), "<bgtai.moduleName>([^<]+)</bgtai.moduleName>");
            assertNotNull(name, module + "/pom.xml sets no bgtai.moduleName (its jar's Automatic-Module-Name)");
            assertTrue(name.matches("org\\.bgtai(\\.[a-z][a-z0-9]*)*"), module + ": '" + name + "' is not a module name under org.bgtai");
            assertTrue(names.add(name), "two modules are named " + name);
        }
        assertTrue(names.contains("org.bgtai.tensor") && names.contains("org.bgtai.nn"), names.toString());
    }
}
