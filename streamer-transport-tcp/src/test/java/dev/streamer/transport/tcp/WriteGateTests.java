package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** close() never gets past a write in progress, and no write gets in after it. */
class WriteGateTests {

    @Test
    void writesPassUntilClosedThenNoneDoes() {
        WriteGate gate = new WriteGate();
        assertThat(gate.enter()).isTrue();
        gate.leave();
        assertThat(gate.enter()).isTrue();
        gate.leave();

        assertThat(gate.close()).isTrue();

        assertThat(gate.enter()).isFalse();
    }

    @Test
    void onlyTheFirstCloseOwnsTheRelease() {
        WriteGate gate = new WriteGate();

        assertThat(gate.close()).isTrue();
        assertThat(gate.close()).isFalse();
    }

    @Test
    void closeWaitsForTheWriteInsideToLeave() throws Exception {
        WriteGate gate = new WriteGate();
        assertThat(gate.enter()).isTrue();

        CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(gate::close);
        Thread.sleep(100); // any time at all: close() must not return while the write is inside
        assertThat(closing).isNotDone();
        assertThat(gate.enter()).as("a second write while one is inside").isFalse();

        gate.leave();

        assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.enter()).isFalse();
    }
}
