#!/usr/bin/env python3
"""End-to-end benchmark: streamer against a parec|nc pipeline and ffmpeg, on this machine.

Each contender captures the PulseAudio null sink monitor (ci_sink.monitor) as 48 kHz/16-bit stereo
and sends raw PCM to a TCP receiver on 127.0.0.1 that this script runs. Contenders run one after
the other, so none takes CPU from another, then all together for the paired latency. For each one
it reports:

  * launch to first byte: from just before the process is started to the first byte received;
  * CPU seconds per minute of audio: utime+stime (/proc/PID/stat) of the whole process tree over
    the measuring window (after the first byte and one settling second), scaled to 60 s;
  * peak RSS: VmHWM of every process of the tree, summed (a pipeline is several processes);
  * end-to-end latency: a 1 ms click is written to a pacat that plays into the sink every
    300-400 ms; the receiver notes when the data holding each click's onset arrives. The absolute
    figure includes the playback path (pacat's buffer, the sink), and that moves by several ms
    from one contender's run to the next, so compare contenders with the paired run:
  * paired latency: then all contenders run at once on the same clicks, and each one's latency
    over parec's (which forwards every block the server sends) is taken click by click: p50, p99
    and max of those differences. CPU is not measured there (they share the machine).

The click player hands PulseAudio its audio in shared memory, as desktop players do; `--socket-player`
(and `--short`, which CI runs) makes it send the audio over its socket instead, because PulseAudio 16
can abort when a client that shares memory leaves while recorders still hold its blocks (see
Peers.withoutSharedMemory in streamer-testkit). The two change every contender's CPU and latency
(the server then cuts the monitor differently); compare contenders within one mode.

For streamer it also reports its own sender-added latency (capture read to end of socket write,
p50/p99 over the last 4096 chunks) from the last `--status json` line.

`--server-clients N` adds a run of streamer in server mode with N raw-PCM clients on loopback,
one of which connects and never reads: CPU, and per-client latency while the slow client is
connected and after streamer dropped it.

`--short` runs a few seconds per contender (CI): it asserts no target, but fails (exit 1) when a
contender produced no audio or no click came through. Python 3 standard library only.
"""

import argparse
import array
import json
import math
import os
import random
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

RATE = 48000
FRAME = 4  # 16-bit stereo
CLICK_THRESHOLD = 8000  # the click peaks at 16384; the sink's silence is digital zero
QUIET_BYTES = RATE * FRAME // 10  # an onset needs 100 ms of quiet stream before it
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_IMAGE = os.path.join(HERE, '..', 'streamer-dist', 'target', 'maven-jlink', 'default')
PULSE_SOURCE = 'ci_sink.monitor'


def now():
    return time.monotonic()


class ClickPlayer:
    """Plays silence into the sink through one pacat, with a click at recorded times."""

    BLOCK_FRAMES = 240  # 5 ms

    def __init__(self, shared_memory):
        self.proc = subprocess.Popen(
            ['pacat', '--playback', '--raw', '--format=s16le', f'--rate={RATE}', '--channels=2',
             '--latency-msec=10', '-d', 'ci_sink'], stdin=subprocess.PIPE,
            env=None if shared_memory else dict(os.environ, PULSE_MEMPOOL_DISABLE='1'))
        self.silence = bytes(self.BLOCK_FRAMES * FRAME)
        click = array.array('h')
        for i in range(self.BLOCK_FRAMES):
            # 1 ms of a 2 kHz square wave at half scale, then silence
            value = (16384 if (i // 12) % 2 == 0 else -16384) if i < RATE // 1000 else 0
            click.extend((value, value))
        self.click = click.tobytes()
        self.clicking = False
        self.played = []  # monotonic times at which a click was handed to pacat
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        block = self.BLOCK_FRAMES / RATE
        start = now()
        n = 0
        next_click = 0.0
        while not self.stopped:
            t = now()
            due = start + n * block
            if due > t:
                time.sleep(due - t)
            data = self.silence
            if self.clicking and due >= next_click:
                data = self.click
                self.played.append(now())
                next_click = due + random.uniform(0.3, 0.4)
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                return
            n += 1

    def clicks(self, on):
        self.clicking = on

    def close(self):
        self.stopped = True
        self.thread.join(2)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.terminate()
        self.proc.wait(5)


class OnsetDetector:
    """Finds click onsets in a raw s16le stream and notes when the data holding each arrived."""

    def __init__(self):
        self.position = 0  # stream bytes seen
        self.last_loud = -QUIET_BYTES - 1
        self.onsets = []  # arrival times
        self.rest = b''
        self.first_byte = None
        self.bytes = 0

    def feed(self, data, at):
        if self.first_byte is None:
            self.first_byte = at
        self.bytes += len(data)
        data = self.rest + data
        usable = len(data) - len(data) % 2
        self.rest = data[usable:]
        samples = array.array('h', data[:usable])
        # max/min run in C: the per-sample loop only runs on the rare loud buffer
        if samples and (max(samples) > CLICK_THRESHOLD or min(samples) < -CLICK_THRESHOLD):
            for i, s in enumerate(samples):
                if s > CLICK_THRESHOLD or s < -CLICK_THRESHOLD:
                    at_byte = self.position + 2 * i
                    if at_byte - self.last_loud > QUIET_BYTES:
                        self.onsets.append(at)
                    self.last_loud = at_byte
        self.position += usable


class Receiver:
    """Accepts raw-PCM connections on 127.0.0.1 and feeds each to its own onset detector."""

    def __init__(self):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(('127.0.0.1', 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.detector = OnsetDetector()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        self.server.settimeout(0.2)
        conn = None
        while not self.stopped and conn is None:
            try:
                conn, _ = self.server.accept()
            except socket.timeout:
                continue
        if conn is None:
            return
        conn.settimeout(0.2)
        with conn:
            while not self.stopped:
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    return
                self.detector.feed(data, now())

    def close(self):
        self.stopped = True
        self.thread.join(2)
        self.server.close()


def tree(pid):
    """Return pid and all its descendants."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_seconds(pids):
    ticks = os.sysconf('SC_CLK_TCK')
    total = 0
    for p in pids:
        try:
            with open(f'/proc/{p}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total / ticks


def peak_rss_kib(pids):
    total = 0
    for p in pids:
        try:
            with open(f'/proc/{p}/status') as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def match_latencies(played, onsets, window=0.29):
    """Pair each onset with the latest click played before it, within the click spacing: (arrival, ms, click)."""
    latencies = []
    i = 0
    for arrival in onsets:
        while i + 1 < len(played) and played[i + 1] < arrival:
            i += 1
        if played and played[i] < arrival and arrival - played[i] < window:
            latencies.append((arrival, (arrival - played[i]) * 1000, i))
    return latencies


def percentile(values, q):
    """Nearest rank: the value at rank ceil(q/100 n), as streamer's own metrics."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(q / 100 * len(ordered))) - 1)]


def stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def launch(command, receiver, stdout=subprocess.DEVNULL):
    """Start a contender sending to `receiver`, in its own process group so that a whole pipeline stops together."""
    argv = [part.replace('{PORT}', str(receiver.port)) for part in command]
    return argv, subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                  start_new_session=True, text=True)


def spread(values, name):
    """{name}P50Millis, {name}P99Millis and {name}MaxMillis of `values` (ms), rounded to 0.1 ms."""
    return {f'{name}P50Millis': round(statistics.median(values), 1), f'{name}P99Millis': round(percentile(values, 99), 1),
            f'{name}MaxMillis': round(max(values), 1)}


def run_contender(name, command, player, seconds, stop_signal=signal.SIGTERM):
    receiver = Receiver()
    status_lines = []
    launched = now()
    argv, proc = launch(command, receiver, stdout=subprocess.PIPE)
    reader = threading.Thread(target=lambda: [status_lines.append(line) for line in proc.stdout], daemon=True)
    reader.start()
    result = {'name': name, 'command': ' '.join(argv)}
    deadline = launched + 15
    while receiver.detector.first_byte is None and now() < deadline and proc.poll() is None:
        time.sleep(0.002)
    if receiver.detector.first_byte is None:
        stop(proc, stop_signal)
        receiver.close()
        result['error'] = 'no audio within 15 s' if proc.returncode is None or proc.returncode < 0 else \
            f'exited {proc.returncode} before sending audio'
        return result
    result['firstByteMillis'] = round((receiver.detector.first_byte - launched) * 1000, 1)
    time.sleep(1)  # settle: the JIT and the buffers
    pids = tree(proc.pid)
    cpu_start, t_start = cpu_seconds(pids), now()
    clicks_from = len(player.played)
    player.clicks(True)
    time.sleep(seconds)
    player.clicks(False)
    time.sleep(0.5)  # the last click's way through
    pids = tree(proc.pid)
    cpu = cpu_seconds(pids) - cpu_start
    elapsed = now() - t_start
    result['peakRssMiB'] = round(peak_rss_kib(pids) / 1024, 1)
    result['processes'] = len(pids)
    result['cpuSecondsPerMinute'] = round(cpu / elapsed * 60, 2)
    stop(proc, stop_signal)
    reader.join(2)
    receiver.close()
    played = player.played[clicks_from:]
    onsets = [t for t in receiver.detector.onsets if t >= t_start]
    latencies = [ms for _, ms, _ in match_latencies(played, onsets)]
    result['bytes'] = receiver.detector.bytes
    result['clicksPlayed'] = len(played)
    result['onsets'] = len(onsets)  # more than clicks played: someone else plays into the sink too
    result['clicksMatched'] = len(latencies)
    if latencies:
        result.update(spread(latencies, 'latency'))
    statuses = [json.loads(line) for line in status_lines if line.startswith('{"event":"status"')]
    if statuses:
        last = statuses[-1]
        for key in ('senderLatencyP50Millis', 'senderLatencyP99Millis', 'senderLatencyMaxMillis', 'underrunMillis',
                    'lostMillis'):
            result[key] = last.get(key)
    return result


def run_paired(contenders, player, seconds, reference='parec'):
    """All contenders at once on the same clicks: each one's latency over the reference's, click by click.

    Run one after the other, each contender meets the click player's latency as it was then, and
    that moves: pacat's buffer settles differently each time it starts (parec's p50 was 6-15 ms in
    the first minutes of stop 15's runs), and it grew for good during long runs (by 20-50 ms by the
    time this run started: an underrun keeps the audio that was late). Together, every click reaches
    every contender through the same playback path at the same moment, so the difference per click
    is the contender's own. CPU is not measured here: they share the machine.
    """
    result = {'name': f'paired: all at once, latency over {reference} click by click', 'contenders': {}}
    running = []
    t_start, clicks_from = None, None
    try:
        for name, (command, stop_signal) in contenders.items():
            receiver = Receiver()
            running.append((name, receiver, launch(command, receiver)[1], stop_signal))
        deadline = now() + 15
        while now() < deadline and any(r.detector.first_byte is None for _, r, _, _ in running):
            time.sleep(0.01)
        silent = [name for name, r, _, _ in running if r.detector.first_byte is None]
        if silent:
            result['error'] = 'no audio within 15 s from ' + ', '.join(silent)
            return result
        time.sleep(1)  # settle, as one at a time
        t_start, clicks_from = now(), len(player.played)
        player.clicks(True)
        time.sleep(seconds)
        player.clicks(False)
        time.sleep(0.5)
    finally:
        for _, receiver, proc, stop_signal in running:
            stop(proc, stop_signal)
            receiver.close()
    played = player.played[clicks_from:]
    by_click = {name: {click: ms for _, ms, click in match_latencies(played, [t for t in r.detector.onsets if t >= t_start])}
                for name, r, _, _ in running}
    result['clicksPlayed'] = len(played)
    base = by_click[reference]
    for name, latencies in by_click.items():
        entry = {'clicksMatched': len(latencies)}
        if latencies:
            values = list(latencies.values())
            entry['latencyP50Millis'] = round(statistics.median(values), 1)
            entry['latencyP99Millis'] = round(percentile(values, 99), 1)
        over = [ms - base[click] for click, ms in latencies.items() if click in base]
        if name != reference and over:
            entry.update(spread(over, 'overReference'))
        result['contenders'][name] = entry
    short = [name for name, entry in result['contenders'].items() if not entry['clicksMatched']]
    if short:
        result['error'] = 'no click came through from ' + ', '.join(short)
    return result


def run_server(image, player, clients, seconds):
    """streamer in server mode, `clients` raw readers of which one never reads."""
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    argv = [os.path.join(image, 'bin', 'streamer'), 'stream', '--port', str(port), '--status', 'json',
            '--set', 'transport.mode=server', '--set', 'transport.listenAddress=127.0.0.1',
            '--set', f'transport.maxClients={clients + 8}']
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True, text=True)
    cut_off = {}  # client port -> when streamer logged that it cut the client off

    def watch_log():
        for line in proc.stderr:
            if 'stopped reading' in line:
                for word in line.replace(':', ' ').split():
                    if word.isdigit():
                        cut_off.setdefault(int(word), now())

    threading.Thread(target=watch_log, daemon=True).start()
    result = {'name': f'streamer server, {clients} clients (1 not reading)', 'command': ' '.join(argv)}
    conns = []
    deadline = now() + 15
    while not conns and now() < deadline:
        try:
            conns.append(socket.create_connection(('127.0.0.1', port), timeout=1))
        except OSError:
            time.sleep(0.05)
    if not conns:
        stop(proc)
        result['error'] = 'server never listened'
        return result
    for _ in range(clients - 2):
        conns.append(socket.create_connection(('127.0.0.1', port), timeout=1))
    # connected, never read: its small window fills at once, then streamer must drop it
    slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect, so the window stays small
    slow.connect(('127.0.0.1', port))
    slow_connected = now()
    conns.append(slow)
    readers = conns[:-1]
    selector = selectors.DefaultSelector()
    detectors = {}
    for conn in readers:
        conn.setblocking(False)
        detectors[conn] = OnsetDetector()
        selector.register(conn, selectors.EVENT_READ)
    stopped = threading.Event()

    def pump():
        while not stopped.is_set():
            for key, _ in selector.select(0.1):
                try:
                    data = key.fileobj.recv(262144)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b''
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                detectors[key.fileobj].feed(data, now())

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    time.sleep(1)
    pids = tree(proc.pid)
    cpu_start, t_start = cpu_seconds(pids), now()
    clicks_from = len(player.played)
    player.clicks(True)
    slow_port = slow.getsockname()[1]
    time.sleep(seconds)
    player.clicks(False)
    time.sleep(0.5)
    cpu = cpu_seconds(tree(proc.pid)) - cpu_start
    elapsed = now() - t_start
    result['peakRssMiB'] = round(peak_rss_kib(tree(proc.pid)) / 1024, 1)
    result['cpuSecondsPerMinute'] = round(cpu / elapsed * 60, 2)
    stopped.set()
    thread.join(2)
    stop(proc)
    for conn in conns:
        conn.close()
    played = player.played[clicks_from:]
    result['clicksPlayed'] = len(played)
    slow_dropped = cut_off.get(slow_port)
    result['slowClientDroppedAfterSeconds'] = None if slow_dropped is None else round(slow_dropped - slow_connected, 1)
    split = slow_dropped if slow_dropped is not None else now()
    per_client_p99 = {'withSlow': [], 'afterDrop': []}
    all_latencies = {'withSlow': [], 'afterDrop': []}
    silent_clients = 0
    for detector in detectors.values():
        if detector.bytes == 0:
            silent_clients += 1
        pairs = match_latencies(played, [t for t in detector.onsets if t >= t_start])
        for phase, keep in (('withSlow', lambda t: t < split), ('afterDrop', lambda t: t >= split)):
            values = [ms for t, ms, _ in pairs if keep(t)]
            if values:
                per_client_p99[phase].append(percentile(values, 99))
                all_latencies[phase].extend(values)
    result['readersWithoutAudio'] = silent_clients
    for phase in ('withSlow', 'afterDrop'):
        values = all_latencies[phase]
        if values:
            result[f'{phase}LatencyP50Millis'] = round(statistics.median(values), 1)
            result[f'{phase}LatencyP99Millis'] = round(percentile(values, 99), 1)
            result[f'{phase}WorstClientP99Millis'] = round(max(per_client_p99[phase]), 1)
            result[f'{phase}Clicks'] = len(values)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--short', action='store_true', help='a few seconds per contender (CI smoke run)')
    parser.add_argument('--seconds', type=float, default=60, help='measuring window per contender (default 60)')
    parser.add_argument('--image', default=DEFAULT_IMAGE, help='the streamer runtime image')
    parser.add_argument('--only', action='append', choices=['streamer', 'streamer-javasound', 'parec', 'ffmpeg'],
                        help='run only these contenders (repeatable)')
    parser.add_argument('--server-clients', type=int, default=0,
                        help='also run streamer in server mode with this many raw clients (one not reading)')
    parser.add_argument('--no-paired', action='store_true',
                        help='skip the run of all contenders at once (latency over parec click by click)')
    parser.add_argument('--json', help='also write the results to this file')
    parser.add_argument('--socket-player', action='store_true',
                        help='the click player sends its audio over the socket, not in shared memory (implied by --short)')
    parser.add_argument('--streamer-args', default='', help='more arguments for the streamer contenders, e.g. "--chunk 256"')
    args = parser.parse_args()
    seconds = 3 if args.short else args.seconds
    image = os.path.abspath(args.image)
    contenders = {
        'streamer': ([os.path.join(image, 'bin', 'streamer'), 'stream', '--host', '127.0.0.1', '--port', '{PORT}',
                      '--status', 'json'], signal.SIGTERM),
        # the same through Java Sound (ALSA's PulseAudio plugin): what streamer does without the pulse source
        'streamer-javasound': ([os.path.join(image, 'bin', 'streamer'), 'stream', '--source', 'javasound', '--host',
                                '127.0.0.1', '--port', '{PORT}', '--status', 'json'], signal.SIGTERM),
        'parec': (['sh', '-c', f'parec --raw --format=s16le --rate={RATE} --channels=2 -d {PULSE_SOURCE}'
                   ' | nc 127.0.0.1 {PORT}'], signal.SIGTERM),
        'ffmpeg': (['ffmpeg', '-nostdin', '-loglevel', 'error', '-f', 'pulse', '-i', PULSE_SOURCE, '-f', 's16le',
                    '-ar', str(RATE), '-ac', '2', 'tcp://127.0.0.1:{PORT}'], signal.SIGINT),
    }
    for name in ('streamer', 'streamer-javasound'):
        contenders[name][0].extend(args.streamer_args.split())
    player = ClickPlayer(shared_memory=not (args.socket_player or args.short))
    time.sleep(0.5)
    results = []
    try:
        for name in args.only or list(contenders):
            command, sig = contenders[name]
            result = run_contender(name, command, player, seconds, stop_signal=sig)
            print(json.dumps(result), flush=True)
            results.append(result)
        paired = {name: contenders[name] for name in args.only or list(contenders)}
        if 'parec' in paired and len(paired) > 1 and not args.no_paired:
            result = run_paired(paired, player, seconds)
            print(json.dumps(result), flush=True)
            results.append(result)
        if args.server_clients:
            result = run_server(image, player, args.server_clients, seconds)
            print(json.dumps(result), flush=True)
            results.append(result)
    finally:
        player.close()
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=2)
    failed = [r['name'] for r in results if r.get('error') or not r.get('bytes', 1) or not r.get('clicksMatched', 1)
              or r.get('readersWithoutAudio')]
    if failed:
        print('e2e: no audio (or no click came through) from: ' + ', '.join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
