"""Memory of the web chat's process with the default models: `app.py` started as `make run` starts it, measured once
it serves (models loaded, the local model's system prompt read).

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/serving_memory.py [--port 7871]
The index must exist, so that the measure is of serving, not of a first indexing. Resident memory (VmRSS) and its
peak (VmHWM) come from /proc; answering adds the local model's prompt cache (at most `llm.prompt_cache_mb`), which
bench/answer_latency.py's peak memory includes.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT

READY = "Clavardage sur"


def memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now and at its peak, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    """Start the web chat, wait until it serves, print its memory, stop it."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=7871)
    arguments = parser.parse_args()
    environment = {**os.environ, "ASSISTANT_PORT": str(arguments.port)}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "app.py")], env=environment, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith(READY):
                break
        else:
            raise RuntimeError(f"the web chat stopped before serving (exit code {server.wait()})")
        ready = time.perf_counter() - started
        rss, peak = memory_mb(server.pid)
        print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}, load average "
              f"{os.getloadavg()[0]:.2f}; index {os.environ.get('ASSISTANT_INDEX_DIR', 'index/')}")
        print(f"web chat serving after {ready:.1f} s: resident {rss:.0f} MB, peak {peak:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
