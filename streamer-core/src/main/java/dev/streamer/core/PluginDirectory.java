package dev.streamer.core;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads the plugin jars of a directory as their own {@link ModuleLayer} above the boot layer, so a
 * user drops a jar in {@code plugins/} and its sources and transports appear beside the built-in
 * ones. A jar may be a named module (its {@code provides} are used) or a plain jar with
 * {@code META-INF/services} (loaded as an automatic module).
 */
public final class PluginDirectory {
    private PluginDirectory() {
    }

    /**
     * Return a layer holding every module in {@code directories} (missing directories are skipped),
     * or the boot layer when there is none.
     *
     * @throws PluginException naming the jar when a module is broken, duplicated, or needs a module
     *     that is not there
     */
    public static ModuleLayer layer(List<Path> directories) throws PluginException {
        Path[] existing = directories.stream().filter(Files::isDirectory).toArray(Path[]::new);
        if (existing.length == 0 || Stream.of(existing).noneMatch(PluginDirectory::hasJar)) {
            return ModuleLayer.boot();
        }
        String where = Stream.of(existing).map(Path::toString).collect(Collectors.joining(", "));
        try {
            ModuleFinder finder = ModuleFinder.of(existing);
            Set<String> roots = finder.findAll().stream().map(ModuleReference::descriptor)
                    .map(ModuleDescriptor::name).collect(Collectors.toSet());
            ModuleLayer boot = ModuleLayer.boot();
            Configuration configuration = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
            return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
        } catch (FindException | ResolutionException | java.lang.LayerInstantiationException e) {
            throw new PluginException("cannot load the plugins in " + where + ": " + e.getMessage()
                    + "; remove or replace the jar it names");
        }
    }

    private static boolean hasJar(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }
}
