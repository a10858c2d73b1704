"""Load test of the web chat: N concurrent chat sessions against a server on the loopback, over HTTP.

Usage (a server already running, e.g. `make run`):
    .venv/bin/python bench/web_load.py --url http://127.0.0.1:7860/ --sessions 20 --questions 2
or let the script start `app.py` itself on a free loopback port with the settings of the environment (the index must
exist), so that it can also read the server's peak memory:
    ASSISTANT_LLM__BACKEND=extractive .venv/bin/python bench/web_load.py --sessions 20 --questions 2

Each session is what one browser tab does: its own Gradio session, the question submitted (``begin``), then the
streamed answer (``stream_answer``) read to the end over the queue's server-sent events. Answers are written one at
a time (``web.concurrent_answers``), so latency grows with the queue; the figures are per question, from submission
to the last streamed update, with the load average beside them. A session fails on any error message, a missing
answer or a timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from gradio_client.utils import apply_diff

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Quel est le rôle des CRÉ dans les Alliances pour la solidarité ?",
    "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?",
    "Quelles tensions entre acteurs le rapport relève-t-il ?",
    "Qui signe les ententes des Alliances pour la solidarité ?",
]
SERVER_READY = "Clavardage sur http"


class ChatError(RuntimeError):
    """The server answered a chat event with an error (the message is the one a user would see)."""


@dataclass
class ChatReply:
    """What a session saw for one question: the last chat messages, the sources panel and the time it took."""

    question: str
    messages: list[dict[str, Any]]
    panel: str
    seconds: float

    @property
    def answer(self) -> str:
        """The text of the last assistant message."""
        return _message_text(self.messages[-1]) if self.messages else ""


class ChatSession:
    """One browser tab's worth of chat, over HTTP: Gradio's queue (join, then server-sent events)."""

    def __init__(self, base_url: str, timeout: float = 300.0) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)
        self.session_hash = uuid.uuid4().hex[:11]
        self._functions: dict[str, int] = {}

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def login(self, user: str, password: str) -> None:
        """Log in as the web page does; raise ``ChatError`` when refused."""
        response = self.http.post("login", data={"username": user, "password": password})
        if response.status_code != 200:
            raise ChatError(f"connexion refusée pour {user} ({response.status_code})")

    def ask(self, question: str, doc_types: tuple[str, ...] = (), regions: tuple[str, ...] = ()) -> ChatReply:
        """Submit a question and read its streamed answer to the end."""
        started = time.perf_counter()
        self.call("begin", [question, None, list(doc_types), list(regions), None, None, []])
        outputs = self.call("stream_answer", [None])
        return ChatReply(question, outputs[0], outputs[1], time.perf_counter() - started)

    def new_conversation(self) -> None:
        """Start a new conversation, as the button does: the next question is no follow-up of the last."""
        self.call("new_conversation", [None])

    def call(self, api_name: str, data: list[Any]) -> list[Any]:
        """Run one event of the page through the queue and return its last outputs; raise ``ChatError`` on an
        error the page would show."""
        # ASCII JSON, as a browser sends it: a lone surrogate (a broken paste) travels as an escape.
        body = json.dumps({"data": data, "fn_index": self.function(api_name), "session_hash": self.session_hash,
                           "event_data": None, "trigger_id": None})
        response = self.http.post("gradio_api/queue/join", content=body,
                                  headers={"Content-Type": "application/json"})
        response.raise_for_status()
        outputs: list[Any] | None = None  # the first streamed update is whole, the next ones are diffs of it
        with self.http.stream("GET", "gradio_api/queue/data", params={"session_hash": self.session_hash}) as events:
            for message in _server_events(events.iter_lines()):
                kind = message.get("msg")
                output = message.get("output") or {}
                if kind == "process_generating":
                    data = output.get("data") or []
                    outputs = list(data) if outputs is None else [apply_diff(previous, diff)
                                                                  for previous, diff in zip(outputs, data)]
                if kind == "process_completed":
                    if not message.get("success", True):
                        raise ChatError(output.get("error") or "erreur inconnue")
                    return [_value(value) for value in output.get("data") or []]
                if kind == "unexpected_error":
                    raise ChatError(message.get("message") or "erreur inattendue")
                if kind in ("process_completed", "close_stream"):
                    break
        raise ChatError("la réponse s'est interrompue avant sa fin")

    def function(self, api_name: str) -> int:
        """The index of the page's event of this name."""
        if not self._functions:
            config = self.http.get("config").raise_for_status().json()
            self._functions = {d.get("api_name"): d["id"] for d in config["dependencies"]}
        return self._functions[api_name]


def _server_events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for line in lines:
        if line.startswith("data:"):
            yield json.loads(line[5:])


def _value(output: Any) -> Any:
    """A component's value from an output (an update carries it under ``value``)."""
    return output.get("value") if isinstance(output, dict) and output.get("__type__") == "update" else output


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


@dataclass
class LoadReport:
    """What a load run measured."""

    sessions: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        """Latency below which ``share`` of the questions were answered (nearest rank)."""
        ordered = sorted(self.latencies)
        return ordered[round(share * (len(ordered) - 1))] if ordered else float("nan")

    def lines(self) -> list[str]:
        """The report, for a terminal."""
        return [f"{self.sessions} sessions, {len(self.latencies)} answers, {len(self.errors)} errors in "
                f"{self.seconds:.1f} s",
                f"latency per question: p50 {self.percentile(0.5):.2f} s, p95 {self.percentile(0.95):.2f} s, "
                f"max {max(self.latencies, default=float('nan')):.2f} s, mean "
                f"{statistics.fmean(self.latencies) if self.latencies else float('nan'):.2f} s",
                *(f"error: {error}" for error in self.errors[:10])]


def run_load(url: str, sessions: int, questions_per_session: int, questions: list[str] = QUESTIONS,
             credentials: tuple[str, str] | None = None) -> LoadReport:
    """Run the sessions at once, each asking its questions in turn; every error is counted, none is raised."""
    report = LoadReport(sessions)
    lock = threading.Lock()
    start = threading.Barrier(sessions)

    def session(number: int) -> None:
        chat = ChatSession(url)
        try:
            if credentials:
                chat.login(*credentials)
            start.wait()
            for turn in range(questions_per_session):
                question = questions[(number + turn) % len(questions)]
                reply = chat.ask(question)
                with lock:
                    if not reply.answer.strip() or not reply.panel:
                        report.errors.append(f"session {number}: réponse vide à « {question} »")
                    else:
                        report.latencies.append(reply.seconds)
        except (ChatError, httpx.HTTPError, threading.BrokenBarrierError) as error:
            with lock:
                report.errors.append(f"session {number}: {type(error).__name__}: {error}")
        finally:
            chat.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=session, args=(number,)) for number in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.perf_counter() - started
    return report


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """Stop a server started for a test or a benchmark: politely, then by force if it does not end in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def local_server(env: dict[str, str], timeout: float = 300.0) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``app.py`` in a subprocess on a free loopback port with these environment variables; yields its address and
    process once it serves."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "app.py")], cwd=PROJECT_ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, **env, "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_PORT": str(port)})
    output: list[str] = []
    ready = threading.Event()

    def read_output() -> None:
        for line in process.stdout or ():
            output.append(line)
            if SERVER_READY in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        while not ready.is_set():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("le serveur n'a pas démarré :\n" + "".join(output))
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/"
        while True:  # uvicorn prints nothing once it listens: wait for the page
            try:
                httpx.get(url + "config", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url, process
    finally:
        stop_process(process, timeout=20)


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory of a process now (VmRSS) and at its peak (VmHWM), in MiB, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024  # type: ignore[union-attr]
            for key in ("VmRSS", "VmHWM")}


def main() -> None:
    """Start (or use) a server, run the sessions, print latency, errors and the server's memory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (otherwise app.py is started on the loopback)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--questions", type=int, default=2, help="questions asked in turn by each session")
    parser.add_argument("--user", nargs=2, metavar=("NOM", "MOT_DE_PASSE"), help="log each session in")
    arguments = parser.parse_args()
    credentials = tuple(arguments.user) if arguments.user else None
    print(f"# {platform.node()}: {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.2f}, backend "
          f"{os.environ.get('ASSISTANT_LLM__BACKEND', 'local')}")
    if arguments.url:
        report = run_load(arguments.url, arguments.sessions, arguments.questions, credentials=credentials)
        print("\n".join(report.lines()))
    else:
        with local_server({}) as (url, process):
            print(f"# server ready, memory before: {memory_mb(process.pid)}")
            report = run_load(url, arguments.sessions, arguments.questions, credentials=credentials)
            print("\n".join(report.lines()))
            memory = memory_mb(process.pid)
            print(f"server memory: {memory['VmRSS']:.0f} MiB now, peak {memory['VmHWM']:.0f} MiB")
    print(f"# load average after: {os.getloadavg()[0]:.2f}")
    sys.exit(1 if report.errors else 0)


if __name__ == "__main__":
    main()
