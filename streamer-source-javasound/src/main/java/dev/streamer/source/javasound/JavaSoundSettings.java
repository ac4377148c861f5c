package dev.streamer.source.javasound;

/**
 * Settings of the {@code javasound} source.
 *
 * @param device which capture mixer to open: {@code ""} for the system default, otherwise a
 *     case-insensitive part of the mixer's name as {@code streamer devices} lists it, e.g.
 *     {@code default} or {@code plughw:1}; it must match exactly one capture mixer (a name that
 *     equals one mixer's full name always wins)
 * @param bufferMillis the device buffer to ask for, 10 to 500 ms; small keeps latency low, large
 *     survives longer stalls of the capture thread. It is raised to at least two read periods.
 */
public record JavaSoundSettings(String device, int bufferMillis) {

    static final int DEFAULT_BUFFER_MILLIS = 30;
    static final int MIN_BUFFER_MILLIS = 10;
    static final int MAX_BUFFER_MILLIS = 500;

    /** The system default capture mixer with a 30 ms buffer. */
    public static final JavaSoundSettings DEFAULTS = new JavaSoundSettings("", DEFAULT_BUFFER_MILLIS);

    public JavaSoundSettings {
        if (device == null) {
            throw new IllegalArgumentException("device is required: \"\" for the system default capture device, "
                    + "or part of a device name as `streamer devices` lists it");
        }
        if (!device.equals(device.strip())) {
            throw new IllegalArgumentException("device \"" + device + "\" has leading or trailing spaces; "
                    + "write the part of the name without them");
        }
        if (bufferMillis < MIN_BUFFER_MILLIS || bufferMillis > MAX_BUFFER_MILLIS) {
            throw new IllegalArgumentException("bufferMillis " + bufferMillis + " is outside "
                    + MIN_BUFFER_MILLIS + ".." + MAX_BUFFER_MILLIS + " (the capture device buffer in milliseconds)");
        }
    }

    /** Return whether the system default capture device is wanted. */
    boolean wantsDefaultDevice() {
        return device.isEmpty();
    }
}
