package dev.streamer.core;

import dev.streamer.api.spi.PluginContext;
import dev.streamer.api.spi.PluginProvider;
import dev.streamer.api.spi.Source;
import dev.streamer.api.spi.SourceProvider;
import dev.streamer.api.spi.Transport;
import dev.streamer.api.spi.TransportProvider;
import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The source and transport plugins found by {@link ServiceLoader}, checked: at least one of each,
 * unique names, and the {@code streamer-} prefix reserved to streamer's own modules.
 */
public final class PluginRegistry {
    private final Map<String, SourceProvider<?>> sources;
    private final Map<String, TransportProvider<?>> transports;
    private final List<PluginInfo> infos;

    private PluginRegistry(Map<String, SourceProvider<?>> sources, Map<String, TransportProvider<?>> transports,
                           List<PluginInfo> infos) {
        this.sources = sources;
        this.transports = transports;
        this.infos = infos;
    }

    /**
     * Find the plugins in {@code layer} and its parents ({@link ModuleLayer#boot()} for the ones
     * in the runtime image).
     *
     * @throws PluginException if no source or no transport exists, or two plugins share a name
     */
    public static PluginRegistry load(ModuleLayer layer) throws PluginException {
        List<SourceProvider<?>> sources = new ArrayList<>();
        ServiceLoader.load(layer, SourceProvider.class).forEach(sources::add);
        List<TransportProvider<?>> transports = new ArrayList<>();
        ServiceLoader.load(layer, TransportProvider.class).forEach(transports::add);
        return of(sources, transports);
    }

    /**
     * Build a registry from given providers (tests, embedding).
     *
     * @throws PluginException if no source or no transport exists, or two plugins share a name
     */
    public static PluginRegistry of(List<? extends SourceProvider<?>> sourceProviders,
                                    List<? extends TransportProvider<?>> transportProviders) throws PluginException {
        List<PluginInfo> infos = new ArrayList<>();
        Map<String, SourceProvider<?>> sources = index(sourceProviders, PluginKind.SOURCE, infos);
        Map<String, TransportProvider<?>> transports = index(transportProviders, PluginKind.TRANSPORT, infos);
        if (sources.isEmpty() || transports.isEmpty()) {
            throw new PluginException("no " + (sources.isEmpty() ? "source" : "transport") + " plugin was found ("
                    + describe(infos) + "); the runtime image lacks its module: rebuild it with ./mvnw package, "
                    + "or put the plugin's jar in the plugins directory");
        }
        infos.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name));
        return new PluginRegistry(sources, transports, List.copyOf(infos));
    }

    /** Return every plugin, sources first, by name. */
    public List<PluginInfo> plugins() {
        return infos;
    }

    /** Return the source plugin named {@code name}. */
    public SourceProvider<?> source(String name) throws PluginException {
        SourceProvider<?> provider = sources.get(name);
        if (provider == null) {
            throw new PluginException("unknown source plugin '" + name + "'; available: " + String.join(", ", sources.keySet()));
        }
        return provider;
    }

    /** Return whether a source plugin named {@code name} was found. */
    public boolean hasSource(String name) {
        return sources.containsKey(name);
    }

    /** Return the transport plugin named {@code name}. */
    public TransportProvider<?> transport(String name) throws PluginException {
        TransportProvider<?> provider = transports.get(name);
        if (provider == null) {
            throw new PluginException("unknown transport plugin '" + name + "'; available: " + String.join(", ", transports.keySet()));
        }
        return provider;
    }

    /**
     * Create a source from a provider and settings of its {@link PluginProvider#settingsType()}.
     *
     * @throws IllegalArgumentException if the settings are of another type
     */
    public static <S extends Record> Source newSource(SourceProvider<S> provider, Record settings, PluginContext context) {
        return provider.create(cast(provider, settings), context);
    }

    /**
     * Create a transport from a provider and settings of its {@link PluginProvider#settingsType()}.
     *
     * @throws IllegalArgumentException if the settings are of another type
     */
    public static <S extends Record> Transport newTransport(TransportProvider<S> provider, Record settings, PluginContext context) {
        return provider.create(cast(provider, settings), context);
    }

    private static <S extends Record> S cast(PluginProvider<S> provider, Record settings) {
        if (!provider.settingsType().isInstance(settings)) {
            throw new IllegalArgumentException("plugin '" + provider.name() + "' takes " + provider.settingsType().getName()
                    + ", not " + settings.getClass().getName());
        }
        return provider.settingsType().cast(settings);
    }

    private static <P extends PluginProvider<?>> Map<String, P> index(List<? extends P> providers, PluginKind kind,
                                                                       List<PluginInfo> infos) throws PluginException {
        Map<String, P> byName = new LinkedHashMap<>();
        Map<String, PluginInfo> infoByName = new LinkedHashMap<>();
        for (P provider : providers) {
            PluginInfo info = infoOf(provider, kind);
            PluginInfo clash = infoByName.get(info.name());
            if (clash != null) {
                throw new PluginException("two " + kind.label() + " plugins are named '" + info.name() + "': "
                        + where(clash) + " and " + where(info) + "; remove one of them");
            }
            if (info.name().startsWith(PluginProvider.RESERVED_PREFIX) && !info.module().startsWith("dev.streamer.")) {
                throw new PluginException(kind.label() + " plugin '" + info.name() + "' from " + where(info)
                        + " uses the prefix '" + PluginProvider.RESERVED_PREFIX + "' reserved to streamer's own plugins; rename it");
            }
            if (!info.name().matches("[a-z][a-z0-9-]{0,31}")) {
                throw new PluginException(kind.label() + " plugin from " + where(info) + " has the invalid name '" + info.name()
                        + "'; names are 1-32 characters: lower-case letters, digits and '-', starting with a letter");
            }
            byName.put(info.name(), provider);
            infoByName.put(info.name(), info);
            infos.add(info);
        }
        return byName;
    }

    private static PluginInfo infoOf(PluginProvider<?> provider, PluginKind kind) {
        Module module = provider.getClass().getModule();
        ModuleDescriptor descriptor = module.getDescriptor();
        String moduleName = module.isNamed() ? module.getName() : "unnamed";
        String version = descriptor == null ? "" : descriptor.rawVersion().orElse("");
        String location = module.getLayer() == null ? ""
                : module.getLayer().configuration().findModule(moduleName)
                        .flatMap(resolved -> resolved.reference().location())
                        .map(Object::toString).orElse("");
        return new PluginInfo(provider.name(), kind, provider.description(), moduleName, version, location);
    }

    private static String where(PluginInfo info) {
        return "module " + info.module() + (info.location().isEmpty() ? "" : " (" + info.location() + ")");
    }

    private static String describe(List<PluginInfo> infos) {
        return infos.isEmpty() ? "none at all"
                : "found: " + infos.stream().map(i -> i.kind().label() + " " + i.name()).collect(Collectors.joining(", "));
    }
}
