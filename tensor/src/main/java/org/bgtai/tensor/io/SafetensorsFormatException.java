package org.bgtai.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file. The message names the file, the tensor (when one
 * is concerned), the problem and a likely fix.
 */
public final class SafetensorsFormatException extends IOException {
    SafetensorsFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    SafetensorsFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
