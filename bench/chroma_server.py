"""Run a Chroma server (the `chroma run` command of the chromadb package) on a free local port, for tests and benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from assistant.settings import ChromaSettings


def free_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_chroma_server(data_dir: Path, startup_seconds: float = 60) -> Iterator[tuple[ChromaSettings, int]]:
    """Start `chroma run` on a free port with its data in ``data_dir``; yield the settings to reach it and the
    server's process id once its heartbeat answers; stop it after."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(data_dir), "--host", "127.0.0.1",
               "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + startup_seconds
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Chroma server did not start: {' '.join(command)}")
            time.sleep(0.2)
        yield ChromaSettings(mode="server", host="127.0.0.1", port=port), server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
