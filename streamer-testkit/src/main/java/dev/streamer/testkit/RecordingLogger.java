package dev.streamer.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a plugin or the engine logs, as {@code LEVEL message}, and which thread logged each line. */
public final class RecordingLogger implements System.Logger {

    public final List<String> lines = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();

    public List<String> at(Level level) {
        return lines.stream().filter(l -> l.startsWith(level.getName() + " ")).map(l -> l.substring(level.getName().length() + 1)).toList();
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        threads.add(Thread.currentThread().getName());
        lines.add(level.getName() + " " + msg + (thrown == null ? "" : " " + thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        threads.add(Thread.currentThread().getName());
        lines.add(level.getName() + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
    }
}
