package dev.streamer.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class SilentDeviceWatchTests {

    private static final long MS = 1_000_000L;
    private static final long START = 987_654_321L;

    /** What was logged, as {@code LEVEL message} (testkit's RecordingLogger depends on this module). */
    private final List<String> logged = new ArrayList<>();
    private final System.Logger logger = new System.Logger() {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            logged.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            logged.add(level + " " + format);
        }
    };
    private final SilentDeviceWatch watch = new SilentDeviceWatch(logger, "Capture device \"mic\"", "it was unplugged", START);

    @Test
    void aSilenceWarnsOnceAtThreeSecondsAndFailsAtTenNamingTheDeviceAndTheLikelyCause() throws SourceException {
        watch.deliveredNothing(START + 2_999 * MS);
        assertThat(logged).isEmpty();

        watch.deliveredNothing(START + 3_000 * MS);
        watch.deliveredNothing(START + 6_000 * MS);
        watch.deliveredNothing(START + 9_999 * MS);
        assertThat(logged).containsExactly("WARNING Capture device \"mic\" has delivered no audio for 3000 ms");

        assertThatThrownBy(() -> watch.deliveredNothing(START + 10_000 * MS)).isInstanceOf(SourceException.class)
                .hasMessage("Capture device \"mic\" delivered no audio for 10 s; it was unplugged.");
    }

    @Test
    void audioEndsTheSilenceSoTheNextOneIsCountedAndWarnedAfresh() throws SourceException {
        watch.deliveredNothing(START + 4_000 * MS);
        watch.delivered(START + 9_000 * MS);
        watch.deliveredNothing(START + 15_000 * MS);
        assertThat(logged).as("6 s of silence since the audio, the first warned about 4").hasSize(2)
                .last().isEqualTo("WARNING Capture device \"mic\" has delivered no audio for 6000 ms");

        watch.delivered(START + 16_000 * MS);
        watch.deliveredNothing(START + 25_999 * MS); // 9.999 s: warned, not failed
        assertThat(logged).hasSize(3);
        assertThatThrownBy(() -> watch.deliveredNothing(START + 26_000 * MS)).hasMessageContaining("for 10 s");
    }

    @Test
    void aDeviceThatKeepsDeliveringIsNeverWarnedAbout() throws SourceException {
        for (long t = START; t < START + 60_000 * MS; t += 2_900 * MS) {
            watch.deliveredNothing(t);
            watch.delivered(t + MS);
        }
        assertThat(logged).isEmpty();
    }
}
