package dev.streamer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the subcommand asked for is given to picocli (its model costs start-up time), all of them when help is wanted. */
class SubcommandSelectionTests {
    private static final List<String> ALL = List.of("stream", "devices", "plugins", "config", "profile", "help");

    private static Collection<String> needed(String[] args) {
        return StreamerCommand.needed(new StreamerCommand(Map.of()).commandLine(), args);
    }

    @Test
    void theNamedSubcommandAloneAfterTheRootsOptionsAndTheirValues() {
        assertThat(needed(new String[] {"stream", "--host", "config"})).containsExactly("stream");
        assertThat(needed(new String[] {"--log-level", "debug", "--log-file", "profile", "config", "show"}))
                .containsExactly("config");
        assertThat(needed(new String[] {"-q", "--plugin-path", "stream", "devices"})).containsExactly("devices");
    }

    @Test
    void everySubcommandForHelpAMistypedNameOrNoneAtAll() {
        assertThat(needed(new String[] {"help", "stream"})).containsExactlyElementsOf(ALL);
        assertThat(needed(new String[] {"stram"})).containsExactlyElementsOf(ALL);
        assertThat(needed(new String[] {"--version"})).containsExactlyElementsOf(ALL);
        assertThat(needed(new String[] {})).containsExactlyElementsOf(ALL);
    }
}
