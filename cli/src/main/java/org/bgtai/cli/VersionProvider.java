package org.bgtai.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version} of every command: the project version (Maven fills it into
 * {@code version.properties}; the jar manifest's Implementation-Version otherwise), the Java
 * runtime, and whether the Vector API module is loaded (without it every kernel runs its scalar
 * fallback).
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return lines(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }

    static String[] lines(boolean vectorApi) {
        return new String[] {
            "bgtai " + projectVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ", " + System.getProperty("java.vendor", "?") + ")",
            vectorApi ? "Vector API: present (jdk.incubator.vector)"
                : "Vector API: absent; kernels run scalar code. Start java with --add-modules jdk.incubator.vector (bin/bgtai does)"};
    }

    /** The Maven project version, or "unknown" when neither the resource nor the manifest has one. */
    static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) return v;
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
