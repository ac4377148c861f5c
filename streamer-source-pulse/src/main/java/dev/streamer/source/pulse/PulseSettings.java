package dev.streamer.source.pulse;

/**
 * Settings of the {@code pulse} source, bound from the profile's {@code source} section or
 * {@code --set source.NAME=VALUE}.
 *
 * @param device which source to record: {@code default} (or {@code ""}) for the server's default
 *     source, otherwise a source's name as {@code streamer devices --source pulse} lists it, e.g.
 *     {@code alsa_output.pci-0000_00_1f.3.analog-stereo.monitor} (a monitor records what that
 *     output plays); a case-insensitive part of a name is enough when it matches one source only
 * @param server which PulseAudio server to ask: {@code ""} for libpulse's own choice
 *     ({@code PULSE_SERVER}, client.conf's {@code default-server}, else the user's
 *     {@code $XDG_RUNTIME_DIR/pulse/native}), otherwise a server string such as
 *     {@code unix:/run/user/1000/pulse/native} or {@code tcp:localhost:4713}
 * @param fragmentMillis how much audio the server sends at a time, 0 to 1000 ms: {@code 0} sends
 *     half an engine read period, so that a period is complete soon after its last sample was
 *     recorded; more costs fewer wake-ups of libpulse's thread and adds latency and jitter
 * @param connectTimeoutMillis how long to wait for the server and the stream, 100 to 60000 ms
 */
public record PulseSettings(String device, String server, int fragmentMillis, int connectTimeoutMillis) {

    static final String DEFAULT_DEVICE = "default";
    static final int MAX_FRAGMENT_MILLIS = 1_000;
    static final int MIN_CONNECT_TIMEOUT_MILLIS = 100;
    static final int MAX_CONNECT_TIMEOUT_MILLIS = 60_000;

    /** The server's default source, libpulse's default server, fragments of half a period, 2 s to connect. */
    public static final PulseSettings DEFAULTS = new PulseSettings(DEFAULT_DEVICE, "", 0, 2_000);

    /** Checks every setting; the messages name it, the value found and what is valid. */
    public PulseSettings {
        if (device == null) {
            throw new IllegalArgumentException("device is required: \"default\" for the server's default source, "
                    + "or a source name as `streamer devices --source pulse` lists it");
        }
        if (!device.equals(device.strip())) {
            throw new IllegalArgumentException("device \"" + device + "\" has leading or trailing spaces; "
                    + "write the source name without them");
        }
        if (server == null) {
            throw new IllegalArgumentException("server is required: \"\" for libpulse's default server, "
                    + "or a server string such as unix:/run/user/1000/pulse/native");
        }
        if (!server.equals(server.strip())) {
            throw new IllegalArgumentException("server \"" + server + "\" has leading or trailing spaces; "
                    + "write the server string without them, or \"\" for libpulse's default server");
        }
        if (fragmentMillis < 0 || fragmentMillis > MAX_FRAGMENT_MILLIS) {
            throw new IllegalArgumentException("fragmentMillis " + fragmentMillis + " is outside 0.." + MAX_FRAGMENT_MILLIS
                    + " (how much audio the server sends at a time; 0 for half a read period)");
        }
        if (connectTimeoutMillis < MIN_CONNECT_TIMEOUT_MILLIS || connectTimeoutMillis > MAX_CONNECT_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("connectTimeoutMillis " + connectTimeoutMillis + " is outside "
                    + MIN_CONNECT_TIMEOUT_MILLIS + ".." + MAX_CONNECT_TIMEOUT_MILLIS
                    + " (how long to wait for the PulseAudio server and the stream, in milliseconds)");
        }
    }

    /** Return whether the server's default source is wanted. */
    boolean wantsDefaultDevice() {
        return device.isEmpty() || device.equals(DEFAULT_DEVICE);
    }
}
