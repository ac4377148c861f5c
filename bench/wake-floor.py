#!/usr/bin/env python3
"""What one wake-up and one socket write per chunk cost on this machine, with nothing else.

A small C program (compiled here with `cc`) sleeps until the next chunk is due, on an absolute
monotonic clock, and writes one chunk of zeros (48 kHz, 16-bit stereo) to a TCP receiver on
127.0.0.1, for each chunk size given. The script reports the program's CPU time from
/proc/PID/schedstat (nanoseconds, not clock ticks) as seconds per minute of audio and
microseconds per chunk. It is the floor under any sender that writes each chunk as soon as it is
due: no capture, no conversion, no metrics.

    python3 bench/wake-floor.py                      # 128, 256, 512 and 1024 frames, 20 s each
    python3 bench/wake-floor.py --seconds 30 256 512
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

RATE, FRAME_BYTES = 48_000, 4

SOURCE = r"""
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
int main(int argc, char **argv) {
    int port = atoi(argv[1]); long period = atol(argv[2]); int bytes = atoi(argv[3]);
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_port = htons(port); a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *) &a, sizeof a)) return 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char *chunk = calloc(1, bytes);
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    for (;;) {
        due.tv_nsec += period;
        while (due.tv_nsec >= 1000000000) { due.tv_nsec -= 1000000000; due.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, 0);
        if (write(s, chunk, bytes) != bytes) return 0;
    }
}
"""


def cpu_seconds(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) / 1e9


def measure(program, frames, warm, seconds):
    server = socket.create_server(("127.0.0.1", 0))
    period_ns = frames * 1_000_000_000 // RATE
    sender = subprocess.Popen([program, str(server.getsockname()[1]), str(period_ns), str(frames * FRAME_BYTES)])
    try:
        server.settimeout(5)
        conn, _ = server.accept()
        threading.Thread(target=lambda: [None for _ in iter(lambda: conn.recv(65536), b"")], daemon=True).start()
        time.sleep(warm)
        before = cpu_seconds(sender.pid)
        time.sleep(seconds)
        used = cpu_seconds(sender.pid) - before
    finally:
        sender.kill()
        sender.wait()
        server.close()
    chunks = seconds * 1e9 / period_ns
    return used * 60 / seconds, used / chunks * 1e6, 1e9 / period_ns


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("frames", nargs="*", type=int, default=[128, 256, 512, 1024], help="chunk sizes in frames")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per chunk size (default 20)")
    parser.add_argument("--warm", type=float, default=2, help="seconds before measuring (default 2)")
    args = parser.parse_args()
    if any(f < 1 for f in args.frames):
        parser.error("chunk sizes must be positive numbers of frames")
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        sys.exit("wake-floor: needs a C compiler (cc or gcc): apt install gcc")
    with tempfile.TemporaryDirectory() as work:
        program = os.path.join(work, "wake-floor")
        subprocess.run([cc, "-O2", "-o", program, "-x", "c", "-"], input=SOURCE.encode(), check=True)
        print(f"{'frames':>7} {'ms':>6} {'wakes/s':>8} {'CPU s/min':>10} {'us/chunk':>9}")
        for frames in args.frames:
            per_minute, per_chunk, rate = measure(program, frames, args.warm, args.seconds)
            print(f"{frames:>7} {frames * 1000 / RATE:>6.2f} {rate:>8.1f} {per_minute:>10.2f} {per_chunk:>9.1f}")


if __name__ == "__main__":
    main()
