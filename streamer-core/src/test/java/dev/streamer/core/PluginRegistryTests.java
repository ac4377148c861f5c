package dev.streamer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamer.api.DeviceInfo;
import dev.streamer.api.PcmFormat;
import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.PluginProvider;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportProvider;
import java.lang.reflect.Proxy;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PluginRegistryTests {
    private static final PluginContext CONTEXT = PluginContext.system("test");

    record SourceSettings(String device) {
    }

    record TransportSettings(String host, int port) {
    }

    /** A source provider in this module (dev.streamer.core, as the tests run patched into it). */
    static final class TestSourceProvider implements SourceProvider<SourceSettings> {
        private final String name;
        volatile SourceSettings createdWith;
        volatile PluginContext createdIn;

        TestSourceProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test source " + name;
        }

        @Override
        public Class<SourceSettings> settingsType() {
            return SourceSettings.class;
        }

        @Override
        public SourceSettings defaultSettings() {
            return new SourceSettings("default");
        }

        @Override
        public List<DeviceInfo> devices() {
            return List.of();
        }

        @Override
        public Source create(SourceSettings settings, PluginContext context) {
            createdWith = settings;
            createdIn = context;
            return FakeSource.counting(PcmFormat.DEFAULT_WIRE);
        }
    }

    static final class TestTransportProvider implements TransportProvider<TransportSettings> {
        private final String name;
        volatile TransportSettings createdWith;

        TestTransportProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test transport " + name;
        }

        @Override
        public Class<TransportSettings> settingsType() {
            return TransportSettings.class;
        }

        @Override
        public TransportSettings defaultSettings() {
            return new TransportSettings("localhost", 4953);
        }

        @Override
        public Transport create(TransportSettings settings, PluginContext context) {
            createdWith = settings;
            return new FakeTransport();
        }
    }

    /**
     * A provider whose class lives in another module: a proxy class is defined in a dynamic module
     * ({@code jdk.proxyN}), which is how a third-party plugin looks to the registry.
     */
    @SuppressWarnings("unchecked")
    private static <P> P foreign(Class<P> type, String name) {
        return (P) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
            case "name" -> name;
            case "description" -> "foreign " + name;
            case "settingsType" -> type == SourceProvider.class ? SourceSettings.class : TransportSettings.class;
            case "defaultSettings" -> null;
            case "devices" -> List.of();
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "foreign provider " + name;
            default -> throw new UnsupportedOperationException(method.getName());
        });
    }

    private static String moduleOf(Object provider) {
        return provider.getClass().getModule().getName();
    }

    @Test
    void theForeignProvidersReallyLiveInAnotherModule() {
        assertThat(moduleOf(new TestSourceProvider("a"))).isEqualTo("dev.streamer.core");
        assertThat(moduleOf(foreign(SourceProvider.class, "a"))).isNotNull().doesNotStartWith("dev.streamer.");
    }

    @Test
    void listsEveryPluginSourcesFirstThenByName() throws Exception {
        PluginRegistry registry = PluginRegistry.of(
                List.of(new TestSourceProvider("zeta"), new TestSourceProvider("alpha")),
                List.of(new TestTransportProvider("tcp"), new TestTransportProvider("file")));

        assertThat(registry.plugins()).extracting(PluginInfo::kind, PluginInfo::name).containsExactly(
                Tuple.tuple(PluginKind.SOURCE, "alpha"),
                Tuple.tuple(PluginKind.SOURCE, "zeta"),
                Tuple.tuple(PluginKind.TRANSPORT, "file"),
                Tuple.tuple(PluginKind.TRANSPORT, "tcp"));
        PluginInfo alpha = registry.plugins().getFirst();
        assertThat(alpha.description()).isEqualTo("test source alpha");
        assertThat(alpha.module()).isEqualTo("dev.streamer.core");
        assertThat(registry.source("zeta").name()).isEqualTo("zeta");
        assertThat(registry.transport("file").name()).isEqualTo("file");
    }

    @Test
    void aSourceAndATransportMayShareAName() throws Exception {
        PluginRegistry registry = PluginRegistry.of(List.of(new TestSourceProvider("file")), List.of(new TestTransportProvider("file")));

        assertThat(registry.source("file")).isInstanceOf(SourceProvider.class);
        assertThat(registry.transport("file")).isInstanceOf(TransportProvider.class);
    }

    @Test
    void twoSourcesWithTheSameNameAreRejectedNamingBothModules() {
        SourceProvider<?> foreign = foreign(SourceProvider.class, "alsa");

        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestSourceProvider("alsa"), foreign), List.of(new TestTransportProvider("tcp"))))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("two source plugins are named 'alsa'")
                .hasMessageContaining("module dev.streamer.core")
                .hasMessageContaining("module " + moduleOf(foreign));
    }

    @Test
    void twoTransportsWithTheSameNameAreRejectedNamingBothModules() {
        TransportProvider<?> foreign = foreign(TransportProvider.class, "tcp");

        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestSourceProvider("alsa")), List.of(foreign, new TestTransportProvider("tcp"))))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("two transport plugins are named 'tcp'")
                .hasMessageContaining("module dev.streamer.core")
                .hasMessageContaining("module " + moduleOf(foreign));
    }

    @Test
    void noSourceIsReportedWithWhatWasFound() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(), List.of(new TestTransportProvider("tcp"))))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("no source plugin was found (found: transport tcp)");
    }

    @Test
    void noTransportIsReportedWithWhatWasFound() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestSourceProvider("alsa")), List.of()))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("no transport plugin was found (found: source alsa)");
    }

    @Test
    void noPluginsAtAllIsReported() {
        assertThatThrownBy(() -> PluginRegistry.of(List.of(), List.of()))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("no source plugin was found (none at all)")
                .hasMessageContaining("rebuild");
    }

    @Test
    void theBootLayerOfThisTestHasNoPlugins() {
        assertThatThrownBy(() -> PluginRegistry.load(ModuleLayer.boot()))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("no source plugin was found");
    }

    @Test
    void theReservedPrefixIsRefusedOutsideStreamersModules() {
        SourceProvider<?> foreign = foreign(SourceProvider.class, PluginProvider.RESERVED_PREFIX + "alsa");

        assertThatThrownBy(() -> PluginRegistry.of(List.of(foreign), List.of(new TestTransportProvider("tcp"))))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("source plugin 'streamer-alsa'")
                .hasMessageContaining("module " + moduleOf(foreign))
                .hasMessageContaining("prefix 'streamer-' reserved");

        TransportProvider<?> foreignTransport = foreign(TransportProvider.class, "streamer-tcp");
        assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestSourceProvider("alsa")), List.of(foreignTransport)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("transport plugin 'streamer-tcp'")
                .hasMessageContaining("reserved");
    }

    @Test
    void theReservedPrefixIsAllowedInStreamersOwnModules() throws Exception {
        PluginRegistry registry = PluginRegistry.of(List.of(new TestSourceProvider("streamer-test")), List.of(new TestTransportProvider("tcp")));

        assertThat(registry.source("streamer-test").name()).isEqualTo("streamer-test");
    }

    @Test
    void invalidNamesAreRefused() {
        for (String name : List.of("Alsa", "1alsa", "al_sa", "", "a".repeat(33))) {
            assertThatThrownBy(() -> PluginRegistry.of(List.of(new TestSourceProvider(name)), List.of(new TestTransportProvider("tcp"))))
                    .as("name '%s'", name)
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("invalid name '" + name + "'");
        }
    }

    @Test
    void anUnknownNameListsTheAvailableOnes() throws Exception {
        PluginRegistry registry = PluginRegistry.of(
                List.of(new TestSourceProvider("alsa"), new TestSourceProvider("javasound")),
                List.of(new TestTransportProvider("tcp"), new TestTransportProvider("udp")));

        assertThatThrownBy(() -> registry.source("pulse"))
                .isInstanceOf(PluginException.class)
                .hasMessage("unknown source plugin 'pulse'; available: alsa, javasound");
        assertThatThrownBy(() -> registry.transport("http"))
                .isInstanceOf(PluginException.class)
                .hasMessage("unknown transport plugin 'http'; available: tcp, udp");
    }

    @Test
    void newSourcePassesSettingsOfTheRightType() {
        TestSourceProvider provider = new TestSourceProvider("alsa");
        SourceSettings settings = new SourceSettings("hw:1");

        Source source = PluginRegistry.newSource(provider, settings, CONTEXT);

        assertThat(source).isNotNull();
        assertThat(provider.createdWith).isSameAs(settings);
        assertThat(provider.createdIn).isSameAs(CONTEXT);
    }

    @Test
    void newSourceRejectsSettingsOfAnotherType() {
        TestSourceProvider provider = new TestSourceProvider("alsa");

        assertThatThrownBy(() -> PluginRegistry.newSource(provider, new TransportSettings("h", 1), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugin 'alsa' takes " + SourceSettings.class.getName())
                .hasMessageContaining("not " + TransportSettings.class.getName());
        assertThat(provider.createdWith).isNull();
    }

    @Test
    void newTransportChecksTheSettingsType() {
        TestTransportProvider provider = new TestTransportProvider("tcp");
        TransportSettings settings = new TransportSettings("10.0.0.2", 4953);

        Transport transport = PluginRegistry.newTransport(provider, settings, CONTEXT);
        assertThat(transport).isNotNull();
        assertThat(provider.createdWith).isSameAs(settings);

        TestTransportProvider other = new TestTransportProvider("tcp");
        assertThatThrownBy(() -> PluginRegistry.newTransport(other, new SourceSettings("x"), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugin 'tcp' takes " + TransportSettings.class.getName())
                .hasMessageContaining("not " + SourceSettings.class.getName());
        assertThat(other.createdWith).isNull();
    }
}
