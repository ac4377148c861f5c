package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LossReportTests {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(5);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LossReport report = new LossReport(INTERVAL);

    @Test
    void nothingLostIsNeverDue() {
        assertThat(report.due(0, 0)).isZero();
        assertThat(report.due(0, 60_000 * MS)).isZero();
    }

    @Test
    void theFirstLossIsDueAtOnceAndLaterOnesAtMostOncePerIntervalWithAllTheNews() {
        assertThat(report.due(0, 1_000 * MS)).isZero();
        assertThat(report.due(100, 2_000 * MS)).as("the first loss").isEqualTo(100);
        assertThat(report.due(150, 3_000 * MS)).as("1 s later: withheld").isZero();
        assertThat(report.due(180, 6_999 * MS)).as("just under the interval: withheld").isZero();
        assertThat(report.due(180, 7_000 * MS)).as("the interval passed: both losses withheld meanwhile").isEqualTo(80);
        assertThat(report.due(180, 20_000 * MS)).as("nothing new").isZero();
        assertThat(report.due(181, 20_001 * MS)).as("new, long after the last report: at once").isEqualTo(1);
    }
}
