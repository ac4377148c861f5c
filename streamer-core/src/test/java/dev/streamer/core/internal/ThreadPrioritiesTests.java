package dev.streamer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadPrioritiesTests {
    private static final String PREFIX = "25287 (streamer-sender) S 25282 25282 18646 0 -1 4194304 125 0 0 0 0 0 0 0 ";

    private static String stat(int priority, int nice, int rtPriority, int policy) {
        return PREFIX + priority + " " + nice + " 1 0 358839 3133440 380 18446744073709551615 1 2 3 0 0 0 0 0 0 0 0 0 17 1 "
                + rtPriority + " " + policy + " 0 0 0\n";
    }

    @Test
    void readsNiceAndPolicyFromProcStat() {
        assertThat(ThreadPriorities.parse(stat(20, 0, 0, 0))).isEqualTo("nice 0, SCHED_OTHER");
        assertThat(ThreadPriorities.parse(stat(15, -5, 0, 0))).isEqualTo("nice -5, SCHED_OTHER");
        assertThat(ThreadPriorities.parse(stat(-11, 0, 10, 2))).isEqualTo("nice 0, SCHED_RR 10");
        assertThat(ThreadPriorities.parse(stat(-11, 0, 10, 1))).isEqualTo("nice 0, SCHED_FIFO 10");
        assertThat(ThreadPriorities.isDefault("nice 0, SCHED_OTHER")).isTrue();
        assertThat(ThreadPriorities.isDefault("nice -5, SCHED_OTHER")).isFalse();
    }

    @Test
    void aCommandWithSpacesAndParenthesesIsSkipped() {
        String odd = stat(20, 3, 0, 0).replace("(streamer-sender)", "(a (b) c)");
        assertThat(ThreadPriorities.parse(odd)).isEqualTo("nice 3, SCHED_OTHER");
    }

    @Test
    void somethingElseIsUnknown() {
        assertThat(ThreadPriorities.parse("garbage")).isNull();
        assertThat(ThreadPriorities.parse("1 (x) S 1 2")).isNull();
    }

    @Test
    void theCurrentThreadIsDescribedOnLinux() {
        String here = ThreadPriorities.describeCurrentThread();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(here).matches("nice -?\\d+, SCHED_\\w+( \\d+)?");
        }
    }
}
