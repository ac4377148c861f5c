package dev.streamer.api;

/** How one sample is stored. */
public enum SampleEncoding {
    /** Two's complement integer. */
    SIGNED,
    /** Offset-binary integer (zero is half of the full scale), as 8-bit WAV uses. */
    UNSIGNED,
    /** IEEE 754 floating point, full scale is -1.0 to 1.0. */
    FLOAT
}
