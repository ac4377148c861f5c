package dev.streamer.app.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options built in code, for the commands on the way to the first byte ({@code streamer} and
 * {@code stream}). Their models used to come from annotations, and reading an annotation makes the
 * JVM generate a proxy class for its type at run time, which no AOT cache can hold: eight of them,
 * about 70 ms of every start. The other commands keep picocli's annotations.
 */
final class Options {
    private Options() {
    }

    /** An option with one value of {@code type}; absent, its value is null. */
    static OptionSpec.Builder valued(Class<?> type, String paramLabel, String description, String... names) {
        return OptionSpec.builder(names).type(type).paramLabel(paramLabel).description(description);
    }

    /** An option that may be given many times, each with one value of {@code type}: a list; absent, null. */
    static OptionSpec.Builder repeated(Class<?> type, String paramLabel, String... names) {
        return OptionSpec.builder(names).type(List.class).auxiliaryTypes(type).paramLabel(paramLabel);
    }

    /** A flag: true when given. */
    static OptionSpec.Builder flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).description(description);
    }

    /** The values given to a {@link #repeated} option, in order; empty if none. */
    static <T> List<T> all(OptionSpec repeated) {
        List<T> given = repeated.getValue();
        return given == null ? List.of() : given;
    }

    /** Whether {@code flag} was given. */
    static boolean given(OptionSpec flag) {
        return Boolean.TRUE.equals(flag.getValue());
    }

    /** Add {@code -h/--help} and {@code -V/--version}, what picocli's {@code mixinStandardHelpOptions} adds. */
    static CommandSpec withStandardHelp(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        return spec;
    }
}
