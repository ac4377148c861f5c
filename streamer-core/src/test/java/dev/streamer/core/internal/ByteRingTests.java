package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ByteRingTests {
    /** Override with -Dstreamer.test.seed=... to replay another sequence. */
    private static final long SEED = Long.getLong("streamer.test.seed", 0x5EED_B1A6L);

    private static final int FRAME = 4;
    private static final int SMALL_CAPACITY = 7 * FRAME;

    @Test
    void capacityIsRoundedDownToWholeFrames() {
        assertThat(new ByteRing(30, 4).capacity()).isEqualTo(28);
        assertThat(new ByteRing(28, 4).capacity()).isEqualTo(28);
        assertThat(new ByteRing(3, 3).capacity()).isEqualTo(3);
    }

    @Test
    void rejectsARingThatCannotHoldAFrame() {
        assertThatThrownBy(() -> new ByteRing(3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes").hasMessageContaining("4-byte frame");
        assertThatThrownBy(() -> new ByteRing(16, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeThenReadReturnsTheSameBytes() {
        ByteRing ring = new ByteRing(64, FRAME);
        byte[] in = sequence(0, 12);

        assertThat(ring.write(in, 0, 12)).isEqualTo(12);
        assertThat(ring.available()).isEqualTo(12);

        ByteBuffer out = ByteBuffer.allocate(12);
        ring.read(out, 12);
        assertThat(out.array()).containsExactly(in);
        assertThat(ring.available()).isZero();
    }

    @Test
    void writeHonoursOffsetAndLength() {
        ByteRing ring = new ByteRing(64, FRAME);
        byte[] in = sequence(0, 20);

        assertThat(ring.write(in, 4, 8)).isEqualTo(8);

        assertThat(readAll(ring)).containsExactly(sequence(4, 8));
    }

    @Test
    void readingMoreThanAvailableIsRefused() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 8), 0, 8);

        assertThatThrownBy(() -> ring.read(ByteBuffer.allocate(12), 12))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("12").hasMessageContaining("8 available");
        assertThat(ring.available()).isEqualTo(8);
    }

    @Test
    void wrapsAroundAtEveryOffsetWithEveryLength() {
        // For every start offset (in frames) and every write length up to the capacity, the bytes
        // read back are exactly the bytes written, however the copy splits at the end of the array.
        long position = 0;
        for (int offsetFrames = 0; offsetFrames < 7; offsetFrames++) {
            for (int frames = 1; frames <= 7; frames++) {
                ByteRing ring = new ByteRing(SMALL_CAPACITY, FRAME);
                // move the positions to the offset
                byte[] filler = sequence(1000, offsetFrames * FRAME);
                assertThat(ring.write(filler, 0, filler.length)).isEqualTo(filler.length);
                readAll(ring);
                for (int cycle = 0; cycle < 25; cycle++) {
                    byte[] in = sequence(position, frames * FRAME);
                    position += in.length;
                    assertThat(ring.write(in, 0, in.length)).isEqualTo(in.length);
                    assertThat(readAll(ring)).as("offset %d frames, length %d frames, cycle %d", offsetFrames, frames, cycle)
                            .containsExactly(in);
                }
            }
        }
    }

    @Test
    void matchesASimpleQueueUnderRandomOperations() {
        System.out.println("ByteRingTests.matchesASimpleQueueUnderRandomOperations seed=" + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        ByteRing ring = new ByteRing(SMALL_CAPACITY, FRAME);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        long next = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                int length = random.nextInt(0, 40);
                byte[] in = sequence(next, length);
                int free = SMALL_CAPACITY - model.size();
                int expected = Math.min(length, free) / FRAME * FRAME;
                assertThat(ring.write(in, 0, length)).as("seed %d step %d write %d", SEED, step, length).isEqualTo(expected);
                for (int i = 0; i < expected; i++) {
                    model.add(in[i]);
                }
                next += length;
            } else if (op < 9) {
                // the engine reads whole frames (chunks); so does this test, which keeps discards frame-exact
                int length = random.nextInt(0, model.size() / FRAME + 1) * FRAME;
                ByteBuffer out = ByteBuffer.allocate(length);
                ring.read(out, length);
                for (int i = 0; i < length; i++) {
                    assertThat(out.get(i)).as("seed %d step %d byte %d", SEED, step, i).isEqualTo(model.poll());
                }
            } else {
                int keep = random.nextInt(-2, 32);
                int available = model.size();
                int expected = keep >= available ? 0 : available - Math.max(0, keep) / FRAME * FRAME;
                assertThat(ring.discardDownTo(keep)).as("seed %d step %d discard to %d of %d", SEED, step, keep, available)
                        .isEqualTo(expected);
                for (int i = 0; i < expected; i++) {
                    model.poll();
                }
            }
            assertThat(ring.available()).as("seed %d step %d", SEED, step).isEqualTo(model.size());
        }
    }

    @Test
    void aFullRingKeepsItsContentAndRefusesTheNewestWholeFrames() {
        ByteRing ring = new ByteRing(SMALL_CAPACITY, FRAME);
        byte[] in = sequence(0, 40);

        assertThat(ring.write(in, 0, 40)).isEqualTo(28);
        assertThat(ring.available()).isEqualTo(28);
        assertThat(ring.write(sequence(500, 8), 0, 8)).isZero();

        ByteBuffer first = ByteBuffer.allocate(4);
        ring.read(first, 4);
        assertThat(first.array()).containsExactly(sequence(0, 4));

        // 4 bytes free: of 10 offered, one whole frame fits, the rest is dropped
        assertThat(ring.write(sequence(100, 10), 0, 10)).isEqualTo(4);
        assertThat(ring.available()).isEqualTo(28);

        byte[] expected = new byte[28];
        System.arraycopy(sequence(4, 24), 0, expected, 0, 24);
        System.arraycopy(sequence(100, 4), 0, expected, 24, 4);
        assertThat(readAll(ring)).containsExactly(expected);
    }

    @Test
    void aPartialFrameIsNeverWritten() {
        ByteRing ring = new ByteRing(SMALL_CAPACITY, FRAME);

        assertThat(ring.write(sequence(0, 6), 0, 6)).isEqualTo(4);
        assertThat(ring.write(sequence(0, 3), 0, 3)).isZero();
        assertThat(ring.available()).isEqualTo(4);
        assertThat(readAll(ring)).containsExactly(sequence(0, 4));
    }

    @Test
    void discardDownToKeepsTheNewestWholeFramesAndReportsWhatItDropped() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 20), 0, 20);

        assertThat(ring.discardDownTo(10)).isEqualTo(12); // 10 bytes round down to 2 frames
        assertThat(ring.available()).isEqualTo(8);
        assertThat(readAll(ring)).containsExactly(sequence(12, 8));
    }

    @Test
    void discardDownToAWholeNumberOfFramesKeepsExactlyThat() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 24), 0, 24);

        assertThat(ring.discardDownTo(8)).isEqualTo(16);
        assertThat(readAll(ring)).containsExactly(sequence(16, 8));
    }

    @Test
    void discardDownToMoreThanAvailableDropsNothing() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 12), 0, 12);

        assertThat(ring.discardDownTo(12)).isZero();
        assertThat(ring.discardDownTo(100)).isZero();
        assertThat(readAll(ring)).containsExactly(sequence(0, 12));
    }

    @Test
    void discardDownToZeroOrLessEmptiesTheRing() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 12), 0, 12);
        assertThat(ring.discardDownTo(0)).isEqualTo(12);
        assertThat(ring.available()).isZero();

        ring.write(sequence(0, 8), 0, 8);
        assertThat(ring.discardDownTo(-5)).isEqualTo(8);
        assertThat(ring.available()).isZero();
    }

    @Test
    void discardAcrossTheWrapKeepsTheRightBytes() {
        ByteRing ring = new ByteRing(SMALL_CAPACITY, FRAME);
        ring.write(sequence(0, 20), 0, 20);
        readAll(ring);
        ring.write(sequence(100, 24), 0, 24); // 8 bytes at the end of the array, 16 at its start

        assertThat(ring.discardDownTo(14)).isEqualTo(12);
        assertThat(readAll(ring)).containsExactly(sequence(112, 12));
    }

    @Test
    @Timeout(5)
    void awaitAvailableTimesOutOnAnEmptyRing() {
        ByteRing ring = new ByteRing(64, FRAME);
        long before = System.nanoTime();

        assertThat(ring.awaitAvailable(4, TimeUnit.MILLISECONDS.toNanos(30))).isFalse();

        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    @Timeout(5)
    void awaitAvailableWaitsForTheWholeAmount() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 4), 0, 4);

        assertThat(ring.awaitAvailable(4, 0)).isTrue();
        assertThat(ring.awaitAvailable(8, TimeUnit.MILLISECONDS.toNanos(10))).isFalse();
    }

    @Test
    @Timeout(10)
    void awaitAvailableReturnsTrueWhenTheProducerWrites() throws Exception {
        ByteRing ring = new ByteRing(64, FRAME);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> result.set(ring.awaitAvailable(8, TimeUnit.SECONDS.toNanos(60))));
        awaitParked(waiter);

        ring.write(sequence(0, 4), 0, 4); // not enough yet
        ring.write(sequence(4, 4), 0, 4);

        assertThat(waiter.join(Duration.ofSeconds(5))).as("the waiter returned").isTrue();
        assertThat(result.get()).isTrue();
    }

    @Test
    @Timeout(10)
    void awaitAvailableReturnsFalsePromptlyAfterReleaseConsumer() throws Exception {
        ByteRing ring = new ByteRing(64, FRAME);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> result.set(ring.awaitAvailable(8, TimeUnit.SECONDS.toNanos(60))));
        awaitParked(waiter);

        long before = System.nanoTime();
        ring.releaseConsumer();

        assertThat(waiter.join(Duration.ofSeconds(5))).as("the waiter returned").isTrue();
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(result.get()).isFalse();

        // and every later wait returns at once, still true when the bytes are there
        long again = System.nanoTime();
        assertThat(ring.awaitAvailable(4, TimeUnit.SECONDS.toNanos(60))).isFalse();
        assertThat(System.nanoTime() - again).isLessThan(TimeUnit.SECONDS.toNanos(1));
        ring.write(sequence(0, 4), 0, 4);
        assertThat(ring.awaitAvailable(4, TimeUnit.SECONDS.toNanos(60))).isTrue();
    }

    @Test
    @Timeout(120)
    void aProducerAndAConsumerThreadMoveEveryByteInOrder() throws Exception {
        System.out.println("ByteRingTests.aProducerAndAConsumerThreadMoveEveryByteInOrder seed=" + SEED);
        long total = 20L * 1024 * 1024;
        ByteRing ring = new ByteRing(4096, FRAME);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean abort = new AtomicBoolean();

        Thread producer = Thread.ofPlatform().name("ring-test-producer").unstarted(() -> {
            SplittableRandom random = new SplittableRandom(SEED);
            byte[] buffer = new byte[2048];
            long position = 0;
            while (position < total && !abort.get()) {
                int length = (int) Math.min(total - position, random.nextInt(1, 513) * FRAME);
                fill(buffer, position, length);
                int done = 0;
                while (done < length && !abort.get()) {
                    int written = ring.write(buffer, done, length - done);
                    if (written % FRAME != 0) {
                        throw new AssertionError("wrote " + written + " bytes, not whole frames");
                    }
                    done += written;
                    if (done < length) {
                        Thread.onSpinWait();
                    }
                }
                position += length;
            }
        });
        long[] consumed = new long[1];
        Thread consumer = Thread.ofPlatform().name("ring-test-consumer").unstarted(() -> {
            SplittableRandom random = new SplittableRandom(SEED ^ 0xC0FFEE);
            ByteBuffer target = ByteBuffer.allocate(4096);
            long position = 0;
            while (position < total && !abort.get()) {
                int want = random.nextInt(1, 3000);
                ring.awaitAvailable(want, TimeUnit.MILLISECONDS.toNanos(5));
                int length = Math.min(want, ring.available());
                if (length == 0) {
                    continue;
                }
                target.clear();
                ring.read(target, length);
                for (int i = 0; i < length; i++) {
                    byte expected = expectedByte(position + i);
                    if (target.get(i) != expected) {
                        throw new AssertionError("byte " + (position + i) + " is " + target.get(i) + ", expected " + expected
                                + " (seed " + SEED + ")");
                    }
                }
                position += length;
            }
            consumed[0] = position;
        });
        Thread.UncaughtExceptionHandler handler = (thread, error) -> {
            failure.compareAndSet(null, error);
            abort.set(true);
        };
        producer.setUncaughtExceptionHandler(handler);
        consumer.setUncaughtExceptionHandler(handler);
        producer.start();
        consumer.start();
        boolean producerDone = producer.join(Duration.ofSeconds(100));
        boolean consumerDone = consumer.join(Duration.ofSeconds(100));
        abort.set(true);

        assertThat(failure.get()).as("seed %d", SEED).isNull();
        assertThat(producerDone && consumerDone).as("both threads finished").isTrue();
        assertThat(consumed[0]).isEqualTo(total);
        assertThat(ring.available()).isZero();
    }

    /** A byte sequence that does not repeat with the ring's period. */
    private static byte expectedByte(long position) {
        long mixed = (position + 1) * 0x9E3779B97F4A7C15L;
        return (byte) (mixed >>> 56 ^ position);
    }

    private static void fill(byte[] buffer, long position, int length) {
        for (int i = 0; i < length; i++) {
            buffer[i] = expectedByte(position + i);
        }
    }

    private static byte[] sequence(long start, int length) {
        byte[] bytes = new byte[length];
        fill(bytes, start, length);
        return bytes;
    }

    private static byte[] readAll(ByteRing ring) {
        int available = ring.available();
        ByteBuffer out = ByteBuffer.allocate(available);
        ring.read(out, available);
        return out.array();
    }

    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the waiter never parked: " + thread.getState());
            }
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void theProducerRespectsTheEffectiveLimitAndMovingItAllocatesNothing() {
        ByteRing ring = new ByteRing(40 * FRAME, FRAME);
        assertThat(ring.limit()).isEqualTo(40 * FRAME);
        assertThat(ring.setLimit(10 * FRAME + 3)).as("rounded down to frames").isEqualTo(10 * FRAME);
        assertThat(ring.write(sequence(0, 15 * FRAME), 0, 15 * FRAME)).isEqualTo(10 * FRAME);
        assertThat(ring.available()).isEqualTo(10 * FRAME);
        ring.setLimit(20 * FRAME); // grown: room for ten more frames
        assertThat(ring.write(sequence(10 * FRAME, 15 * FRAME), 0, 15 * FRAME)).isEqualTo(10 * FRAME);
        assertThat(readAll(ring)).hasSize(20 * FRAME);
        assertThat(ring.capacity()).isEqualTo(40 * FRAME);
        assertThat(ring.setLimit(0)).as("at least a frame").isEqualTo(FRAME);
        assertThat(ring.setLimit(Integer.MAX_VALUE)).as("at most the array").isEqualTo(40 * FRAME);
    }

    @Test
    void loweringTheLimitBelowTheFillKeepsTheAudioAndRefusesNewAudioUntilReadBelowIt() {
        ByteRing ring = new ByteRing(16 * FRAME, FRAME);
        ring.write(sequence(0, 12 * FRAME), 0, 12 * FRAME);
        ring.setLimit(8 * FRAME);
        assertThat(ring.write(sequence(0, FRAME), 0, FRAME)).isZero();
        assertThat(ring.available()).isEqualTo(12 * FRAME);
        ring.read(ByteBuffer.allocate(6 * FRAME), 6 * FRAME);
        assertThat(ring.write(sequence(0, 4 * FRAME), 0, 4 * FRAME)).isEqualTo(2 * FRAME);
    }

    @Test
    void bytesStayInOrderAcrossTheArrayEndWhateverTheLimit() {
        ByteRing ring = new ByteRing(7 * FRAME, FRAME);
        ring.setLimit(3 * FRAME);
        byte[] all = sequence(0, 70 * FRAME);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int written = 0;
        while (written < all.length) {
            written += ring.write(all, written, Math.min(2 * FRAME, all.length - written));
            ring.setLimit(written % (3 * FRAME) == 0 ? 7 * FRAME : 3 * FRAME);
            ByteBuffer b = ByteBuffer.allocate(ring.available());
            ring.read(b, ring.available());
            out.writeBytes(b.array());
        }
        assertThat(out.toByteArray()).containsExactly(all);
    }

    @Test
    void excessIsWhatDiscardDownToWouldDropAndSkipDropsExactlyThat() {
        ByteRing ring = new ByteRing(64, FRAME);
        ring.write(sequence(0, 40), 0, 40);
        assertThat(ring.excess(40)).isZero();
        assertThat(ring.excess(30)).as("rounded up to whole frames").isEqualTo(12);
        ring.skip(12);
        assertThat(ring.available()).isEqualTo(28);
        assertThat(readAll(ring)).containsExactly(sequence(12, 28));
        assertThatThrownBy(() -> ring.skip(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
