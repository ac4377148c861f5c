package dev.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PcmFormatTests {

    @Test
    void formatsAreEqualExactlyWhenEveryComponentIsAndEqualOnesHashAlike() {
        PcmFormat base = new PcmFormat(48_000, 2, 24, 4, SampleEncoding.SIGNED, false);
        PcmFormat same = new PcmFormat(48_000, 2, 24, 4, SampleEncoding.SIGNED, false);
        assertThat(base).isEqualTo(same).hasSameHashCodeAs(same).isEqualTo(PcmFormat.wire(48_000, 24, 2));
        List<PcmFormat> eachOneDifferent = List.of(
                new PcmFormat(44_100, 2, 24, 4, SampleEncoding.SIGNED, false),
                new PcmFormat(48_000, 1, 24, 4, SampleEncoding.SIGNED, false),
                new PcmFormat(48_000, 2, 32, 4, SampleEncoding.SIGNED, false),
                new PcmFormat(48_000, 2, 24, 3, SampleEncoding.SIGNED, false),
                new PcmFormat(48_000, 2, 32, 4, SampleEncoding.FLOAT, false),
                new PcmFormat(48_000, 2, 24, 4, SampleEncoding.SIGNED, true));
        for (PcmFormat other : eachOneDifferent) {
            assertThat(base).as("against %s", other).isNotEqualTo(other);
            assertThat(base.hashCode()).as("hash against %s", other).isNotEqualTo(other.hashCode());
        }
        assertThat(base).isNotEqualTo(null).isNotEqualTo("48000 Hz s24in32le stereo");
        assertThat(base).hasToString("48000 Hz s24in32le stereo");
    }
}
