#!/usr/bin/env python3
"""Launch to first byte of the image, N times: python3 bench/first-byte.py [--image DIR]... [-n N] [-- STREAM ARGS...]

Each run listens on an ephemeral 127.0.0.1 port, starts `bin/streamer stream --host 127.0.0.1
--port P --status json ARGS`, and notes the time from just before the process starts to the first
byte it sends; then stops it. Nothing else runs meanwhile (unlike bench/e2e.py, which also plays
clicks into the sink), so this is the start-up alone. Prints each run and the median, in ms.

Given --image more than once, it launches each image once per round, in alternating order, so
that two builds are compared under the same load (this machine's start-up moves by +-50 ms from
one minute to the next).
"""
import argparse
import socket
import statistics
import subprocess
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--image", action="append",
                    help="the image (repeatable); default streamer-dist/target/maven-jlink/default")
parser.add_argument("-n", type=int, default=9, help="launches (per image)")
parser.add_argument("args", nargs="*")
options = parser.parse_args()
images = options.image or [str(Path(__file__).resolve().parent.parent / "streamer-dist/target/maven-jlink/default")]


def first_byte(image):
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(30)
        port = server.getsockname()[1]
        start = time.monotonic()
        streamer = subprocess.Popen([image + "/bin/streamer", "stream", "--host", "127.0.0.1", "--port", str(port),
                                     "--status", "json", *options.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            connection, _ = server.accept()
            with connection:
                if not connection.recv(1):
                    raise SystemExit("streamer closed the connection without sending a byte")
                return (time.monotonic() - start) * 1000
        finally:
            streamer.terminate()
            streamer.wait(10)


runs = {image: [] for image in images}
for round_ in range(options.n):
    for image in images if round_ % 2 == 0 else reversed(images):
        runs[image].append(first_byte(image))
for image, times in runs.items():
    label = f"{image}: " if len(images) > 1 else ""
    print(label + " ".join(f"{t:.0f}" for t in times), f"median {statistics.median(times):.0f} ms")
