package dev.streamer.source.javasound;

import dev.streamer.api.PcmFormat;
import dev.streamer.api.SampleEncoding;
import dev.streamer.api.spi.Pacer;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Plays an audio file through {@link AudioSystem#getAudioInputStream(java.io.File)}, delivering the
 * file's own PCM layout (the engine converts channels, bits and byte order; a rate other than the
 * wire rate is refused by the engine). µ-law and A-law files are decoded to 16-bit PCM.
 *
 * <p>Reads copy straight from the file into the caller's buffer. In real time a read waits until
 * its last frame is due, as with the {@code signal} source ({@link Pacer}: at most about one
 * period, and the schedule never drifts). At the end of the file a read returns -1, or with
 * {@code loop} the file is opened again (one allocation per pass, none per read) and playing goes
 * on without a gap.
 */
final class FileSource implements Source {

    /** The file types the JDK's readers accept, in words, for messages. */
    static final String SUPPORTED = "WAV (.wav), AIFF (.aif, .aiff), AU (.au, .snd) with PCM, µ-law or A-law samples";

    private final FileSettings settings;
    private final System.Logger logger;
    private final Pacer pacer;
    /** Guards {@link #stream}: a read holds it while it reads the file, close() to close it. */
    private final Object streamLock = new Object();

    private volatile boolean closed;
    private AudioInputStream stream;

    // Set by open(); afterwards used by the capture thread only.
    private Path path;
    private PcmFormat format;
    private String description = "";
    private int periodFrames;
    private long delivered;     // frames returned since open
    private long passFrames;    // frames read in the current pass through the file

    FileSource(FileSettings settings, PluginContext context) {
        this(settings, context, LockSupport::parkNanos);
    }

    FileSource(FileSettings settings, PluginContext context, Pacer.Parker parker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.logger = context.logger();
        this.pacer = new Pacer(context.nanoClock(), parker);
    }

    /** Open the file and return its own format; {@code preferred} plays no part, a file is what it is. */
    @Override
    public PcmFormat open(PcmFormat preferred, int periodFrames) throws SourceException {
        Objects.requireNonNull(preferred, "preferred");
        if (periodFrames < 1) {
            throw new IllegalArgumentException("periodFrames " + periodFrames + " is not positive");
        }
        Path file = checkedPath(settings.path());
        synchronized (streamLock) {
            if (closed) {
                throw new SourceException("The file source was closed before it was opened.");
            }
            if (stream != null) {
                throw new IllegalStateException("already open: " + describe());
            }
            AudioInputStream opened = openStream(file);
            PcmFormat f;
            try {
                f = toPcmFormat(opened.getFormat(), file);
            } catch (SourceException e) {
                closeQuietly(opened);
                throw e;
            }
            long frames = opened.getFrameLength();
            this.stream = opened;
            this.path = file;
            this.format = f;
            this.periodFrames = periodFrames;
            this.description = "file: " + file + " (" + f + (frames > 0 ? String.format(Locale.ROOT, ", %.1f s", (double) frames / f.sampleRate()) : "")
                    + (settings.loop() ? ", looped" : "") + (settings.realTime() ? "" : ", as fast as read") + ")";
            logger.log(Level.INFO, () -> "file: playing " + description.substring("file: ".length())
                    + (f.equals(preferred) ? "" : "; the engine converts it to " + preferred));
            pacer.start(f.sampleRate());
            return f;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws SourceException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            return -1;
        }
        if (format == null) {
            throw new IllegalStateException("read before open");
        }
        int frameSize = format.frameSize();
        if (length < frameSize) {
            throw new IllegalArgumentException("length " + length + " is less than one frame of " + frameSize + " bytes");
        }
        int n = readFrames(buffer, offset, Math.min(length / frameSize, periodFrames) * frameSize);
        if (n <= 0) {
            return n;
        }
        long end = delivered + n / frameSize;
        if (settings.realTime() && !pacer.awaitFrames(end)) {
            return -1; // closed meanwhile
        }
        delivered = end;
        return n;
    }

    /** Read whole frames from the file; at its end open it again when looping, else return -1. */
    private int readFrames(byte[] buffer, int offset, int want) throws SourceException {
        synchronized (streamLock) {
            try {
                while (!closed) {
                    int n = stream.read(buffer, offset, want); // AudioInputStream returns whole frames only
                    if (n > 0) {
                        passFrames += n / format.frameSize();
                        return n;
                    }
                    if (n < 0) {
                        if (!settings.loop() || passFrames == 0) {
                            return -1; // the end (a file without audio ends a loop too, instead of spinning)
                        }
                        restart();
                    }
                }
                return -1;
            } catch (IOException e) {
                if (closed) {
                    return -1;
                }
                throw new SourceException("file: reading " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Open the file again for the next pass of a loop; it must still have the same format. */
    private void restart() throws SourceException {
        closeQuietly(stream);
        AudioInputStream again = openStream(path);
        PcmFormat f = toPcmFormat(again.getFormat(), path);
        if (!f.equals(format)) {
            closeQuietly(again);
            throw new SourceException("file: " + path + " changed while playing: it is now " + f + ", it was " + format);
        }
        stream = again;
        passFrames = 0;
        logger.log(Level.DEBUG, () -> "file: looping " + path);
    }

    private static Path checkedPath(String name) throws SourceException {
        if (name.isEmpty()) {
            throw new SourceException("file: no file to play; name one with --set source.path=FILE (" + SUPPORTED + ")");
        }
        Path file;
        try {
            file = Path.of(name).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new SourceException("file: \"" + name + "\" is not a valid path: " + e.getMessage(), e);
        }
        if (!Files.exists(file)) {
            throw new SourceException("file: " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new SourceException("file: " + file + " is a directory; name an audio file (" + SUPPORTED + ")");
        }
        if (!Files.isReadable(file)) {
            throw new SourceException("file: " + file + " is not readable (check its permissions)");
        }
        return file;
    }

    /** Open the file as PCM: µ-law and A-law are decoded to 16-bit signed. */
    private static AudioInputStream openStream(Path file) throws SourceException {
        AudioInputStream in;
        try {
            in = AudioSystem.getAudioInputStream(file.toFile());
        } catch (UnsupportedAudioFileException e) {
            throw new SourceException("file: " + file + " is not an audio file streamer can play; supported: " + SUPPORTED, e);
        } catch (IOException e) {
            throw new SourceException("file: cannot read " + file + ": " + e.getMessage(), e);
        }
        AudioFormat f = in.getFormat();
        AudioFormat.Encoding encoding = f.getEncoding();
        if (encoding.equals(AudioFormat.Encoding.ULAW) || encoding.equals(AudioFormat.Encoding.ALAW)) {
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
                    2 * f.getChannels(), f.getSampleRate(), f.isBigEndian());
            try {
                return AudioSystem.getAudioInputStream(pcm, in);
            } catch (IllegalArgumentException e) {
                closeQuietly(in);
                throw new SourceException("file: cannot decode the " + encoding + " samples of " + file + ": " + e.getMessage(), e);
            }
        }
        return in;
    }

    /** Describe a Java Sound PCM format as a {@link PcmFormat}, or say why it cannot be played. */
    static PcmFormat toPcmFormat(AudioFormat f, Path file) throws SourceException {
        AudioFormat.Encoding encoding = f.getEncoding();
        SampleEncoding sampleEncoding;
        if (encoding.equals(AudioFormat.Encoding.PCM_SIGNED)) {
            sampleEncoding = SampleEncoding.SIGNED;
        } else if (encoding.equals(AudioFormat.Encoding.PCM_UNSIGNED)) {
            sampleEncoding = SampleEncoding.UNSIGNED;
        } else if (encoding.equals(AudioFormat.Encoding.PCM_FLOAT)) {
            sampleEncoding = SampleEncoding.FLOAT;
        } else {
            throw new SourceException("file: " + file + " holds " + encoding + " samples; supported: " + SUPPORTED);
        }
        float rate = f.getSampleRate();
        int channels = f.getChannels();
        if (rate <= 0 || rate != Math.rint(rate) || channels < 1 || f.getFrameSize() < 1 || f.getFrameSize() % channels != 0) {
            throw new SourceException("file: " + file + " has a format streamer cannot play: " + f);
        }
        try {
            int bytesPerSample = f.getFrameSize() / channels;
            return new PcmFormat((int) rate, channels, f.getSampleSizeInBits(), bytesPerSample, sampleEncoding,
                    bytesPerSample > 1 && f.isBigEndian()); // one byte has no order: the same PcmFormat for every file type
        } catch (IllegalArgumentException e) {
            throw new SourceException("file: " + file + " has " + f.getSampleSizeInBits() + "-bit " + encoding
                    + " samples, which streamer cannot play (" + e.getMessage() + "); supported: 8, 16, 24 and 32-bit integers, 32-bit float", e);
        }
    }

    @Override
    public String describe() {
        String d = description;
        if (d.isEmpty()) {
            d = "file: " + (settings.path().isEmpty() ? "(no path)" : settings.path());
        }
        return d + (closed ? " (closed)" : "");
    }

    /** Idempotent: wakes a read that waits for its frames to be due, then closes the file. */
    @Override
    public void close() {
        closed = true;
        pacer.stop();
        synchronized (streamLock) { // waits at most for one read of the file in progress
            closeQuietly(stream);
        }
    }

    private static void closeQuietly(AudioInputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing to do: the file was only read
            }
        }
    }
}
