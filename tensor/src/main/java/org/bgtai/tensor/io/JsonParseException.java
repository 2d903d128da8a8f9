package org.bgtai.tensor.io;

/**
 * Malformed JSON text. The message gives the character offset (and line and column) of the
 * problem and what was expected there; {@link #offset()} returns the offset alone.
 */
public final class JsonParseException extends IllegalArgumentException {
    private final long offset;

    JsonParseException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Offset of the problem: in chars for {@link Json#parse(String)}, in bytes for invalid UTF-8. */
    public long offset() {
        return offset;
    }
}
