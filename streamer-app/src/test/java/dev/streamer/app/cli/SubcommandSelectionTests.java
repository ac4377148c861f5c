package dev.streamer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Only the subcommand asked for is given to picocli (its model costs start-up time), all of them when help is wanted. */
class SubcommandSelectionTests {
    private static final List<String> ALL = List.of("stream", "devices", "plugins", "config", "profile", "help");

    @Test
    void theNamedSubcommandAloneAfterTheRootsOptionsAndTheirValues() {
        assertThat(StreamerCommand.needed(new String[] {"stream", "--host", "config"})).containsExactly("stream");
        assertThat(StreamerCommand.needed(new String[] {"--log-level", "debug", "--log-file", "profile", "config", "show"}))
                .containsExactly("config");
        assertThat(StreamerCommand.needed(new String[] {"-q", "--plugin-path", "stream", "devices"})).containsExactly("devices");
    }

    @Test
    void everySubcommandForHelpAMistypedNameOrNoneAtAll() {
        assertThat(StreamerCommand.needed(new String[] {"help", "stream"})).containsExactlyElementsOf(ALL);
        assertThat(StreamerCommand.needed(new String[] {"stram"})).containsExactlyElementsOf(ALL);
        assertThat(StreamerCommand.needed(new String[] {"--version"})).containsExactlyElementsOf(ALL);
        assertThat(StreamerCommand.needed(new String[] {})).containsExactlyElementsOf(ALL);
    }
}
