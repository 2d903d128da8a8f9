package org.bgtai.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A PrintStream for an example's output, and the text printed to it. */
final class Printed {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What {@code body} printed to System.out. */
    static String systemOut(ThrowingRunnable body) throws Exception {
        PrintStream old = System.out;
        Printed p = new Printed();
        System.setOut(p.out);
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return p.text();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
