"""Twenty people use the web chat at once, while the admin reindexes beside it: every answer arrives, no error, and
the server stays within its memory budget (figures printed; timings are reported by bench/web_load.py, not asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import EXIT_OK
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from bench.web_load import ChatSession, local_server, memory_mb, run_load
from tests.conftest import write_note
from tests.test_reindex import subprocess_env

SESSIONS, QUESTIONS_PER_SESSION = 20, 2
# The server with the extractive backend: e5, Chroma, BM25, Gradio (measured: about 470 MiB at its peak). The local
# model adds its own weights (Qwen2.5 1.5B Q4: about 1.1 GB); see docs/reliability.md.
MEMORY_BUDGET_MIB = 1024
QUESTIONS = [
    "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?",
    "Quand le camion des Marchés solidaires de Matawinie a-t-il fait sa première tournée ?",
    "Combien de pages compte le gabarit de reddition de comptes imposé par la CRÉ ?",
    "Quand la CRÉ remet-elle son rapport d'activité annuel ?",
]


@pytest.mark.slow
def test_twenty_concurrent_sessions_all_get_answers_while_a_reindex_runs(settings: Settings,
                                                                         e5: E5Embeddings) -> None:
    Assistant(settings, embeddings=e5).index()
    for n in range(8):
        write_note(settings.corpus_dir / f"nouvelle-{n}.md", f"titre: Compte rendu {n}\ntype: proces-verbal",
                   f"Le comité régional numéro {n} a approuvé le projet de cuisine collective de Berthierville. "
                   * 5)
    env = {**subprocess_env(settings.corpus_dir, settings.index_dir), "ASSISTANT_LLM__BACKEND": "extractive"}
    server_env = {key: value for key, value in env.items() if key.startswith("ASSISTANT_")}
    with local_server(server_env) as (url, server):
        reindex = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        report = run_load(url, SESSIONS, QUESTIONS_PER_SESSION, QUESTIONS)
        _, reindex_errors = reindex.communicate(timeout=600)
        memory = memory_mb(server.pid)
        chat = ChatSession(url)
        try:
            after = chat.ask("Qu'a approuvé le comité régional numéro 5 ?")
        finally:
            chat.close()
    print("\n".join(report.lines()))
    print(f"server memory: peak {memory['VmHWM']:.0f} MiB, now {memory['VmRSS']:.0f} MiB; reindex exit "
          f"{reindex.returncode}; load average {os.getloadavg()[0]:.2f}")
    assert report.errors == []
    assert len(report.latencies) == SESSIONS * QUESTIONS_PER_SESSION
    assert reindex.returncode == EXIT_OK, reindex_errors
    assert "cuisine collective de Berthierville" in after.answer  # the running server follows the new index
    assert memory["VmHWM"] < MEMORY_BUDGET_MIB


def test_the_load_report_gives_percentiles_by_nearest_rank() -> None:
    from bench.web_load import LoadReport

    report = LoadReport(2, latencies=[float(n) for n in range(1, 21)])
    assert (report.percentile(0.5), report.percentile(0.95)) == (11.0, 19.0)
    assert "p50 11.00 s, p95 19.00 s" in report.lines()[1]


def test_memory_is_read_from_proc() -> None:
    memory = memory_mb(os.getpid())
    assert 0 < memory["VmRSS"] <= memory["VmHWM"]
    assert Path(f"/proc/{os.getpid()}/status").is_file()
