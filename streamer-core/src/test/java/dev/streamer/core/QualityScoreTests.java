package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The documented formula, its bands, and the jitter bands lining up with the score bands. */
class QualityScoreTests {

    @ParameterizedTest
    @CsvSource({
        "0, 100", "2.5, 95", "5, 90", "10, 80", "15, 70", "32.5, 60", "50, 50", "60, 45", "150, 0", "400, 0"
    })
    void baseFromJitter(double jitter, double base) {
        assertThat(QualityScore.base(jitter)).isCloseTo(base, within(1e-9));
    }

    @Test
    void penalties() {
        assertThat(QualityScore.lossPenalty(0)).isZero();
        assertThat(QualityScore.lossPenalty(9)).isCloseTo(10, within(1e-9));
        assertThat(QualityScore.lossPenalty(99)).isCloseTo(20, within(1e-9));
        assertThat(QualityScore.lossPenalty(999)).isCloseTo(30, within(1e-9));
        assertThat(QualityScore.lossPenalty(1_000_000)).isEqualTo(40);
        assertThat(QualityScore.retransmitPenalty(0)).isZero();
        assertThat(QualityScore.retransmitPenalty(9)).isCloseTo(5, within(1e-9));
        assertThat(QualityScore.retransmitPenalty(99)).isCloseTo(10, within(1e-9));
        assertThat(QualityScore.retransmitPenalty(1_000_000)).isEqualTo(20);
        assertThat(QualityScore.errorPenalty(0)).isZero();
        assertThat(QualityScore.errorPenalty(1)).isEqualTo(15);
        assertThat(QualityScore.errorPenalty(5)).isEqualTo(30);
        assertThat(QualityScore.bufferPenalty(0.5)).isZero();
        assertThat(QualityScore.bufferPenalty(0.75)).isCloseTo(10, within(1e-9));
        assertThat(QualityScore.bufferPenalty(1.0)).isEqualTo(20);
    }

    @Test
    void scoresAndTheirBands() {
        assertThat(QualityScore.score(0.8, 0, 0, 0, 0.01)).isEqualTo(98);          // clean LAN
        assertThat(QualityScore.score(7, 0, 0, 0, 0.01)).isEqualTo(86);            // WiFi-like jitter
        assertThat(QualityScore.score(7, 9, 0, 0, 0.01)).isEqualTo(76);            // plus 9 ms lost
        assertThat(QualityScore.score(3, 0, 0, 1, 0.01)).isEqualTo(79);            // one reconnect
        assertThat(QualityScore.score(60, 999, 0, 2, 1.0)).isZero();               // everything wrong
        assertThat(QualityScore.score(5, 0, 219, 0, 0.01)).isEqualTo(78);         // 5 ms jitter, 1 % loss repaired by TCP
        assertThat(QualityScore.label(100)).isEqualTo("Excellent");
        assertThat(QualityScore.label(90)).isEqualTo("Excellent");
        assertThat(QualityScore.label(89)).isEqualTo("Good");
        assertThat(QualityScore.label(70)).isEqualTo("Good");
        assertThat(QualityScore.label(69)).isEqualTo("Fair");
        assertThat(QualityScore.label(50)).isEqualTo("Fair");
        assertThat(QualityScore.label(49)).isEqualTo("Poor");
        assertThat(QualityScore.label(0)).isEqualTo("Poor");
    }

    @ParameterizedTest
    @CsvSource({"0, excellent", "4.99, excellent", "5, good", "15, good", "15.01, fair", "50, fair", "50.01, poor"})
    void jitterBands(double jitter, String band) {
        assertThat(QualityScore.jitterBand(jitter)).isEqualTo(band);
    }

    @Test
    void eachJitterBandAloneGivesTheMatchingScoreBand() {
        assertThat(QualityScore.label(QualityScore.score(4.9, 0, 0, 0, 0))).isEqualTo("Excellent");
        assertThat(QualityScore.label(QualityScore.score(5.1, 0, 0, 0, 0))).isEqualTo("Good");
        assertThat(QualityScore.label(QualityScore.score(14.9, 0, 0, 0, 0))).isEqualTo("Good");
        assertThat(QualityScore.label(QualityScore.score(16, 0, 0, 0, 0))).isEqualTo("Fair");
        assertThat(QualityScore.label(QualityScore.score(49, 0, 0, 0, 0))).isEqualTo("Fair");
        assertThat(QualityScore.label(QualityScore.score(52, 0, 0, 0, 0))).isEqualTo("Poor");
    }
}
