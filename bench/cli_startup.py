"""Start-up time of the command line: each command run as a new process, several times, wall clock.

Targets (issue 17): `assistant --help` under 0.5 s; `assistant status` and an `assistant index` with nothing to do
under 0.8 s, on a quiet machine. The load average is printed before and after: on a shared machine the wall-clock
figures are worth what the load lets them be; the CPU time (user + system, of the process) says what the start-up
itself costs.

Usage (an index of the sample corpus, already in step with it, so that `index` has nothing to do):
    ASSISTANT_INDEX_DIR=/tmp/idx-sample .venv/bin/python bench/cli_startup.py --runs 10
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"assistant --help": (["--help"], 0.5), "assistant status": (["status"], 0.8),
            "assistant index, nothing to do": (["index"], 0.8)}


def timed_runs(arguments: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run of ``python -m assistant.cli <arguments>``; a failing run stops the
    measure."""
    wall, cpu = [], []
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", *arguments], cwd=ROOT, env=environment, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Print min, median and max for each command, the loads, and the command to reproduce."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}; "
          f"index {os.environ.get('ASSISTANT_INDEX_DIR', 'index/ (default)')}; {arguments.runs} runs per command")
    print(f"# load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print("| command | wall min s | wall median s | wall max s | CPU median s | target s (wall, quiet machine) |")
    print("|---|---|---|---|---|---|")
    timed_runs(["--help"], 1)  # a first run fills the file cache and writes the bytecode
    for label, (command, target) in COMMANDS.items():
        wall, cpu = timed_runs(command, arguments.runs)
        print(f"| {label} | {min(wall):.2f} | {statistics.median(wall):.2f} | {max(wall):.2f} | "
              f"{statistics.median(cpu):.2f} | {target} |", flush=True)
    print(f"# load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    print(f"# reproduce: ASSISTANT_INDEX_DIR={os.environ.get('ASSISTANT_INDEX_DIR', 'index')} "
          f"{sys.executable} bench/cli_startup.py --runs {arguments.runs}")


if __name__ == "__main__":
    main()
