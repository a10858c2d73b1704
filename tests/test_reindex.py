"""The admin adds, edits, renames and removes files, then reindexes: only that work is done, never a broken index."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from assistant.cli import EXIT_FAILED_FILES, EXIT_OK, main
from assistant.errors import EXIT_BUSY, EXIT_ERROR, IndexMismatch
from assistant.index.chroma_buffers import MixedEmbedders
from assistant.index.embeddings import E5Embeddings
from assistant.index.indexer import LOCK_NAME, IndexBusy, IndexingError, RebuildRequired
from assistant.index.manifest import Manifest
from assistant.index.plan import plan_sync
from assistant.ingest.readers import READING_VERSION
from assistant.models import IndexProgress, SearchFilters
from assistant.service import Assistant
from assistant.settings import ChunkingSettings, EmbeddingSettings, Settings
from tests.conftest import AGREEMENT_PAGES, write_note, write_pdf

EVERY_LEVEL = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
NOTE = "entretiens/ent-lan-02.md"


def indexed(settings: Settings, e5: E5Embeddings) -> Assistant:
    """An assistant whose index holds the tiny corpus."""
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    return assistant


def stored_ids(assistant: Assistant) -> set[str]:
    """Ids of the passages that answer questions."""
    return set(assistant.store.collection.get(include=[])["ids"])


def assert_consistent(assistant: Assistant) -> Manifest:
    """The answering buffer holds exactly the manifest's passages, each labelled with its document's path."""
    manifest = assistant.manifest()
    expected = {pid: doc for doc in manifest.documents.values() for pid in doc.passage_ids}
    stored = assistant.store.collection.get(include=["metadatas"])
    assert set(stored["ids"]) == set(expected)
    for pid, metadata in zip(stored["ids"], stored["metadatas"]):
        assert (metadata["path"], metadata["doc_id"]) == (expected[pid].path, expected[pid].doc_id)
    return manifest


def test_an_unchanged_corpus_is_not_touched_even_when_file_dates_change(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    before = assistant.manifest()
    os.utime(settings.corpus_dir / NOTE, (time.time() + 60, time.time() + 60))
    report = assistant.index()
    assert (report.added, report.updated, report.removed, report.renamed) == ([], [], [], {})
    assert len(report.unchanged) == 3 and report.passages_embedded == 0
    after = assistant.manifest()
    assert (after.generation, after.active) == (before.generation, before.active)


def test_a_renamed_and_a_moved_file_keep_their_vectors_and_are_cited_at_their_new_path(
        settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    corpus = settings.corpus_dir
    (corpus / NOTE).rename(corpus / "entretiens" / "matawinie.md")
    (corpus / "archives").mkdir()
    for name in ("entente-mauricie.pdf", "entente-mauricie.pdf.meta.yaml"):
        (corpus / "ententes" / name).rename(corpus / "archives" / name)
    report = assistant.index()
    assert report.renamed == {"entretiens/matawinie.md": NOTE,
                              "archives/entente-mauricie.pdf": "ententes/entente-mauricie.pdf"}
    assert (report.added, report.removed, report.passages_embedded) == ([], [], 0)
    assert report.passages_reused > 0
    best = assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    assert (best.passage.info.path, best.passage.page) == ("archives/entente-mauricie.pdf", 2)
    paths = {s.passage.info.path for s in assistant.search("camion des Marchés solidaires", EVERY_LEVEL)}
    assert "entretiens/matawinie.md" in paths and NOTE not in paths
    assert_consistent(assistant)


def test_a_copied_file_is_a_second_document_without_embedding_again(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    shutil.copy(settings.corpus_dir / NOTE, settings.corpus_dir / "copie.md")
    report = assistant.index()
    assert report.added == ["copie.md"] and report.passages_embedded == 0
    assert_consistent(assistant)


def test_editing_a_sidecar_updates_the_metadata_without_embedding_again(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    sidecar = settings.corpus_dir / "ententes" / "entente-mauricie.pdf.meta.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("[Mauricie]", "[Mauricie, Estrie]"),
                       encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["ententes/entente-mauricie.pdf"] and report.passages_embedded == 0
    hits = assistant.search("contribution financière de la ministre", SearchFilters(regions=("Estrie",)))
    assert {s.passage.info.path for s in hits} == {"ententes/entente-mauricie.pdf"}


def test_editing_one_page_of_a_pdf_embeds_only_that_page(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    pdf = settings.corpus_dir / "ententes" / "entente-mauricie.pdf"
    pages = [AGREEMENT_PAGES[0], AGREEMENT_PAGES[1].replace("1 505 000 $", "1 610 000 $"), AGREEMENT_PAGES[2]]
    write_pdf(pdf, pages, "Entente Mauricie")
    passages = len(assistant.manifest().documents["ententes/entente-mauricie.pdf"].passage_ids)
    report = assistant.index()
    assert report.updated == ["ententes/entente-mauricie.pdf"]
    assert 0 < report.passages_embedded < passages
    assert report.passages_embedded + report.passages_reused == passages
    texts = [s.passage.text for s in assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en "
                                                      "2013-2014 ?")]
    assert any("1 610 000 $" in t for t in texts) and not any("1 505 000 $" in t for t in texts)


def test_a_dry_run_lists_what_would_change_and_changes_nothing(settings: Settings, e5: E5Embeddings, capsys,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assistant = indexed(settings, e5)
    manifest_file = settings.index_dir / "manifest.json"
    before = manifest_file.read_bytes()
    corpus = settings.corpus_dir
    (corpus / NOTE).rename(corpus / "renomme.md")
    (corpus / "entretiens" / "ent-cno-03.md").unlink()
    write_note(corpus / "nouveau.md", "titre: Nouveau\ntype: autre", "Un nouveau document sur la Gaspésie.")
    report = assistant.index(dry_run=True)
    assert report.dry_run and report.added == ["nouveau.md"] and report.renamed == {"renomme.md": NOTE}
    assert report.removed == ["entretiens/ent-cno-03.md"]
    assert manifest_file.read_bytes() == before
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    monkeypatch.setenv("ASSISTANT_CHUNKING__CHUNK_SIZE", "400")
    monkeypatch.setenv("ASSISTANT_CHUNKING__CHUNK_OVERLAP", "50")
    assert main(["index", "--dry-run"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Simulation : rien n'a été modifié" in out
    assert f"→ renommer       {NOTE} → renomme.md" in out and "+ ajouter        nouveau.md" in out
    assert manifest_file.read_bytes() == before


def test_rebuild_starts_over_and_the_index_still_answers(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    report = assistant.index(rebuild=True)
    assert report.rebuilt and len(report.added) == 3 and report.unchanged == []
    assert report.passages_embedded == 0  # the ledger already holds every vector of this embedder
    assert assistant.search("Quand le camion a-t-il fait sa première tournée ?")[0].passage.info.path == NOTE
    assert_consistent(assistant)


def test_a_new_embedder_or_chunking_asks_for_a_rebuild_and_vectors_never_mix(
        settings: Settings, e5: E5Embeddings, tmp_path: Path) -> None:
    assistant = indexed(settings, e5)
    other_model = settings.model_copy(update={"embedding": EmbeddingSettings(backend="use")})
    with pytest.raises(RebuildRequired, match="modèle d'encodage a changé"):
        Assistant(other_model, embeddings=e5).index()
    other_cut = settings.model_copy(update={"chunking": ChunkingSettings(chunk_size=300, chunk_overlap=30)})
    with pytest.raises(RebuildRequired, match="découpage a changé"):
        Assistant(other_cut, embeddings=e5).index()
    with pytest.raises(IndexMismatch, match="--rebuild"):
        Assistant(other_model, embeddings=e5).search("camion")
    buffer = assistant.store.buffer(assistant.manifest().active)
    with pytest.raises(MixedEmbedders):
        buffer.add(["x-00000"], ["texte"], [{"path": "x"}], [[0.0] * 384], "use")
    buffer.close()
    rebuilt = Assistant(other_cut, embeddings=e5)
    assert rebuilt.index(rebuild=True).rebuilt
    assert rebuilt.manifest().chunking == {"chunk_size": 300, "chunk_overlap": 30, "title_in_search": True,
                                           "section_in_search": True, "table_rows": True, "window_size": 0,
                                           "reading": READING_VERSION}
    assert_consistent(rebuilt)


def test_an_index_read_by_an_older_version_of_the_readers_asks_for_a_rebuild(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    # New reading code (tables' titles in their rows) gives unchanged files other passages: never mixed silently.
    indexed(settings, e5)
    monkeypatch.setattr("assistant.index.indexer.READING_VERSION", READING_VERSION + 1)
    with pytest.raises(RebuildRequired, match="lecture des documents a changé.*--rebuild` pour relire"):
        Assistant(settings, embeddings=e5).index()
    assert Assistant(settings, embeddings=e5).index(rebuild=True).rebuilt


def test_authors_added_to_a_sidecar_reindex_the_document_and_reach_its_passages(
        settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    sidecar = settings.corpus_dir / "ententes" / "entente-mauricie.pdf.meta.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "auteurs: [Ministère de l'Emploi et de la Solidarité "
                       "sociale, CRÉ de la Mauricie]\n", encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["ententes/entente-mauricie.pdf"] and report.passages_embedded == 0
    best = assistant.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    assert best.passage.info.authors == ("Ministère de l'Emploi et de la Solidarité sociale", "CRÉ de la Mauricie")
    assert_consistent(assistant)


def test_an_index_built_before_authors_were_read_answers_and_asks_once_to_be_read_again(
        settings: Settings, e5: E5Embeddings) -> None:
    # As the index of 7 December 2026 holds it: reading version 2, no authors in the passages' metadata.
    sidecar = settings.corpus_dir / "ententes" / "entente-mauricie.pdf.meta.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "auteurs: [CRÉ de la Mauricie]\n", encoding="utf-8")
    assistant = indexed(settings, e5)
    manifest_file = settings.index_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["chunking"]["reading"] = 2
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    collection = assistant.store.collection
    stored = collection.get(include=["metadatas"])
    collection.update(ids=stored["ids"], metadatas=[{**{k: v for k, v in m.items() if k != "authors"},
                                                     "authors": None} for m in stored["metadatas"]])
    older = Assistant(settings, embeddings=e5)
    best = older.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    assert best.passage.info.path == "ententes/entente-mauricie.pdf" and best.passage.info.authors == ()
    with pytest.raises(RebuildRequired, match=r"lecture des documents a changé \(index lu en version 2"):
        older.index()
    report = older.index(rebuild=True)
    assert report.rebuilt and report.passages_embedded == 0  # read again, nothing encoded again
    best = older.search("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")[0]
    assert best.passage.info.authors == ("CRÉ de la Mauricie",)


def test_status_prints_documents_passages_model_last_run_and_failures(cli_env: Path, capsys) -> None:
    assert main(["index"]) == EXIT_OK
    capsys.readouterr()
    (cli_env / "abime.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    assert main(["index"]) == EXIT_FAILED_FILES
    capsys.readouterr()
    assert main(["status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Documents indexés : 3 (" in out and "passages) venant de 3 fichiers" in out
    assert "Modèle d'encodage : e5" in out and "Index lexical (BM25) : à jour" in out
    assert "Dernière indexation : " in out and "en échec 1" in out
    assert "abime.pdf : PDF tronqué" in out


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tmp_path: Path) -> Path:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tiny_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    return tiny_corpus


def bad_files(directory: Path, limit_mb: float) -> dict[str, str]:
    """Every kind of bad file an admin drops in the corpus, with the words its message must contain."""
    from fpdf import FPDF

    write_pdf(directory / "tronque.pdf", AGREEMENT_PAGES, "Tronqué")
    (directory / "tronque.pdf").write_bytes((directory / "tronque.pdf").read_bytes()[:-600])
    encrypted = FPDF()
    encrypted.add_page()
    encrypted.set_font("helvetica", size=12)
    encrypted.cell(text="Document confidentiel")
    encrypted.set_encryption(owner_password="proprietaire", user_password="secret")
    encrypted.output(str(directory / "protege.pdf"))
    scan = FPDF()
    scan.add_page()
    scan.output(str(directory / "numerise.pdf"))
    (directory / "abime.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 12 + b"\n%%EOF\n")
    (directory / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(200)))
    (directory / "vide.md").write_bytes(b"")
    (directory / "encodage.txt").write_bytes("Montréal ".encode("cp1252") + b"\x81\x8d\x8f\x90\x9d")
    (directory / "abime.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 2)
    (directory / "enorme.txt").write_bytes(b"a" * int(limit_mb * 1024 * 1024 + 10))
    return {"tronque.pdf": "tronqué", "protege.pdf": "mot de passe", "numerise.pdf": "sans couche texte",
            "abime.pdf": "PDF illisible", "image.pdf": "image PNG", "vide.md": "vide",
            "encodage.txt": "encodage", "abime.docx": "DOCX illisible", "enorme.txt": "MAX_FILE_MB"}


def test_bad_files_never_stop_the_run_each_gets_one_line_and_is_retried_once_fixed(
        cli_env: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_INDEXING__MAX_FILE_MB", "0.05")
    expected = bad_files(cli_env, 0.05)
    assert main(["index"]) == EXIT_FAILED_FILES
    captured = capsys.readouterr()
    failure_lines = [line for line in captured.err.splitlines() if line.startswith("ÉCHEC")]
    assert len(failure_lines) == len(expected)
    for name, words in expected.items():
        assert any(line.startswith(f"ÉCHEC  {name} : ") and words in line for line in failure_lines), name
    assert "Ajoutés : 3," in captured.out
    manifest = Manifest.load(tmp_path / "index")
    assert set(manifest.failed) == set(expected) and len(manifest.documents) == 3
    assert main(["index"]) == EXIT_FAILED_FILES  # still failing, not read again: reported again
    assert "Ajoutés : 0, mis à jour : 0" in capsys.readouterr().out
    (cli_env / "encodage.txt").write_text("Montréal, note réparée.", encoding="utf-8")
    (cli_env / "vide.md").write_text("---\ntitre: Réparé\n---\nLe contenu est revenu.", encoding="utf-8")
    assert main(["index"]) == EXIT_FAILED_FILES
    out = capsys.readouterr().out
    assert "Ajoutés : 2," in out and f"en échec : {len(expected) - 2}" in out


def test_a_file_that_breaks_after_indexing_keeps_its_indexed_version(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    pdf = settings.corpus_dir / "ententes" / "entente-mauricie.pdf"
    original = pdf.read_bytes()
    pdf.write_bytes(original[: len(original) // 2])  # an interrupted copy over the good file
    report = assistant.index()
    assert "ententes/entente-mauricie.pdf" in report.failed and report.updated == []
    question = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
    assert any("1 505 000 $" in source.passage.text for source in assistant.search(question))
    pdf.write_bytes(original)
    report = assistant.index()
    assert report.failed == {} and report.unchanged and report.passages_embedded == 0


def test_a_jsonl_corpus_gives_one_document_per_line_and_an_edited_line_is_the_only_work(
        tmp_path: Path, e5: E5Embeddings) -> None:
    corpus = tmp_path / "piaf"
    corpus.mkdir()
    lines = [{"doc_id": f"piaf:{n}:0", "title": f"Article {n}", "text": f"Le paragraphe {n} parle de la région {n}.",
              "source": "PIAF"} for n in range(5)]
    lines[2].update(text="La Gaspésie compte de nombreux villages de pêcheurs.", regions=["Gaspésie"], date="2012")
    jsonl = corpus / "corpus.jsonl"
    jsonl.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    (corpus / "corpus.jsonl.meta.yaml").write_text("confidentialite: public\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    assistant = Assistant(settings, embeddings=e5)
    report = assistant.index()
    assert len(report.added) == 5 and report.failed == {}
    best = assistant.search("villages de pêcheurs", SearchFilters(confidentiality=("public",)))[0].passage
    assert (best.info.doc_id, best.info.path, best.info.title) == ("piaf:2:0", "corpus.jsonl", "Article 2")
    assert best.info.regions == ("Gaspésie",) and best.info.year == 2012
    lines[3]["text"] = "Le paragraphe trois parle désormais de Rimouski."
    jsonl.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n{pas du json\n",
                     encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["corpus.jsonl#piaf:3:0"] and report.passages_embedded == 1
    assert report.failed == {"corpus.jsonl:ligne 6": report.failed["corpus.jsonl:ligne 6"]}
    assert "ligne JSON invalide" in report.failed["corpus.jsonl:ligne 6"]
    assert assistant.search("Rimouski", EVERY_LEVEL)[0].passage.info.doc_id == "piaf:3:0"
    jsonl.rename(corpus / "piaf.jsonl")
    (corpus / "corpus.jsonl.meta.yaml").rename(corpus / "piaf.jsonl.meta.yaml")
    report = assistant.index()
    assert len(report.renamed) == 5 and report.passages_embedded == 0
    assert_consistent(assistant)


def test_two_runs_at_once_the_second_refuses_with_a_clear_message(cli_env: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "index").mkdir()
    with FileLock(tmp_path / "index" / LOCK_NAME):
        assert main(["index"]) == EXIT_BUSY
        assert "Une autre indexation de cet index est déjà en cours" in capsys.readouterr().err
        with pytest.raises(IndexBusy):
            Assistant(Settings(corpus_dir=cli_env, index_dir=tmp_path / "index")).index()
    assert main(["index"]) == EXIT_OK


def test_a_missing_corpus_folder_is_an_error_that_leaves_the_index_alone(cli_env: Path, tmp_path: Path,
                                                                         monkeypatch, capsys) -> None:
    assert main(["index"]) == EXIT_OK
    before = (tmp_path / "index" / "manifest.json").read_bytes()
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "introuvable"))
    assert main(["index"]) == EXIT_ERROR
    assert "n'existe pas" in capsys.readouterr().err
    assert (tmp_path / "index" / "manifest.json").read_bytes() == before
    with pytest.raises(IndexingError):
        Assistant(Settings(corpus_dir=tmp_path / "introuvable", index_dir=tmp_path / "index")).index()


def test_a_run_that_dies_before_its_commit_leaves_the_old_index_and_the_next_run_reuses_its_work(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    assistant = indexed(settings, e5)
    before = assert_consistent(assistant)
    note = settings.corpus_dir / NOTE
    note.write_text(note.read_text(encoding="utf-8").replace("15 octobre 2012", "22 octobre 2012"), encoding="utf-8")
    (settings.corpus_dir / "entretiens" / "ent-cno-03.md").unlink()

    def killed(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Manifest, "save", killed)
    with pytest.raises(KeyboardInterrupt):
        assistant.index()
    monkeypatch.undo()
    assert assert_consistent(assistant).documents == before.documents
    texts = [s.passage.text for s in assistant.search("première tournée du camion", EVERY_LEVEL)]
    assert any("15 octobre 2012" in t for t in texts)
    assert any(s.passage.info.path == "entretiens/ent-cno-03.md" for s in assistant.search("loyer", EVERY_LEVEL))
    report = assistant.index()
    assert report.updated == [NOTE] and report.removed == ["entretiens/ent-cno-03.md"]
    assert report.passages_embedded == 0  # embedded by the run that died
    assert_consistent(assistant)
    assert assistant.lexical.built_generation() == assistant.manifest().generation


def test_the_lexical_index_is_rebuilt_by_the_same_run_and_caught_up_if_a_run_died_after_it(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    assistant = indexed(settings, e5)
    assistant.settings.retrieval.mode = "lexical"
    note = settings.corpus_dir / NOTE
    note.write_text(note.read_text(encoding="utf-8").replace("camion", "autobus"), encoding="utf-8")
    monkeypatch.setattr(Manifest, "save", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        assistant.index()
    monkeypatch.undo()
    # BM25 already holds the new passages, the answering buffer the old ones: nothing missing is ever cited.
    assert assistant.lexical.built_generation() == assistant.manifest().generation + 1
    assert all(s.passage.id in stored_ids(assistant) for s in assistant.search("autobus Marchés solidaires"))
    assistant.index()
    assert assistant.search("autobus des Marchés solidaires")[0].passage.info.path == NOTE
    assert not any("camion" in s.passage.text for s in assistant.search("camion Marchés solidaires"))


def test_progress_reports_the_plan_each_document_and_each_batch(settings: Settings, e5: E5Embeddings) -> None:
    seen: dict[str, list] = {"planned": [], "document": [], "embedded": []}
    progress = IndexProgress(planned=seen["planned"].append,
                             document=seen["document"].append, embedded=seen["embedded"].append)
    report = Assistant(settings, embeddings=e5).index(progress)
    assert seen["planned"] == [3] and sorted(seen["document"]) == sorted(report.added)
    assert sum(seen["embedded"]) == report.passages_embedded > 0


def test_a_plan_compares_content_not_names(settings: Settings, e5: E5Embeddings) -> None:
    assistant = indexed(settings, e5)
    plan = plan_sync(settings, assistant.manifest())
    assert not plan.changes_index and len(plan.kept) == 3


def subprocess_env(corpus: Path, index: Path) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index),
            "ASSISTANT_CHUNKING__CHUNK_SIZE": "400", "ASSISTANT_CHUNKING__CHUNK_OVERLAP": "50"}


@pytest.mark.slow
def test_the_chat_keeps_answering_from_another_process_while_a_reindex_runs(settings: Settings,
                                                                            e5: E5Embeddings) -> None:
    reader = indexed(settings, e5)
    for n in range(12):
        write_note(settings.corpus_dir / f"note-{n:02d}.md", f"titre: Note {n}\ntype: entretien",
                   f"Le comité numéro {n} a discuté du transport collectif et de l'épicerie solidaire. " * 6)
    before = {doc.path for doc in reader.manifest().documents.values()}
    run = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"],
                           env=subprocess_env(settings.corpus_dir, settings.index_dir),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answered = 0
    while run.poll() is None:
        for source in reader.search("Quand le camion des Marchés solidaires a-t-il fait sa première tournée ?"):
            assert source.passage.id in stored_ids(reader)
        answered += 1
        time.sleep(0.1)  # a user's pace, and two cores to share with the run
    assert run.returncode == EXIT_OK, run.stderr.read()
    assert answered > 3
    after = {doc.path for doc in reader.manifest().documents.values()}
    assert after - before == {f"note-{n:02d}.md" for n in range(12)}
    assert reader.search("comité numéro 7 transport collectif")[0].passage.info.path in after - before
    assert_consistent(reader)


def embedded_so_far(index_dir: Path) -> int:
    """Vectors the ledger holds (a run commits each embedded batch to it at once)."""
    if not (index_dir / "ledger.sqlite3").is_file():
        return 0
    with sqlite3.connect(index_dir / "ledger.sqlite3") as db:
        return db.execute("SELECT count(*) FROM vectors").fetchone()[0]


@pytest.mark.slow
def test_ctrl_c_stops_the_run_cleanly_and_the_next_run_finishes(settings: Settings, e5: E5Embeddings) -> None:
    indexed(settings, e5)
    for n in range(12):
        write_note(settings.corpus_dir / f"longue-{n:02d}.md", f"titre: Longue {n}",
                   " ".join(f"Phrase {i} du document {n} sur la solidarité." for i in range(30)))
    # Ctrl-C reaches the run as on a terminal, even when the tests themselves run in the background of a shell,
    # which ignores SIGINT for its background jobs (Python then never raises KeyboardInterrupt).
    run = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"],
                           env=subprocess_env(settings.corpus_dir, settings.index_dir),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    while embedded_so_far(settings.index_dir) < 16 and run.poll() is None:
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Indexation interrompue : l'index répond comme avant cette indexation" in err
    reader = Assistant(settings, embeddings=e5)
    assert len(assert_consistent(reader).documents) == 3
    report = reader.index()
    assert len(report.added) == 12 and report.passages_reused >= 16
    assert_consistent(reader)


class CorpusChanges:
    """Random edits an admin makes between two runs: add, edit, rename, move, remove notes, edit JSONL lines."""

    def __init__(self, corpus: Path, seed: int) -> None:
        import random

        self.corpus = corpus
        self.random = random.Random(seed)
        self.counter = 0
        self.jsonl = corpus / "paragraphes.jsonl"
        self.lines = [{"doc_id": f"p{n}", "title": f"Paragraphe {n}", "text": self.sentence()} for n in range(4)]
        self.jsonl.write_text("\n".join(json.dumps(line) for line in self.lines), encoding="utf-8")
        for _ in range(6):
            self.add()

    def sentence(self) -> str:
        self.counter += 1
        topic = self.random.choice(["le transport collectif", "l'épicerie solidaire", "le logement social",
                                    "la reddition de comptes", "les élus municipaux", "la sécurité alimentaire"])
        return f"Constat {self.counter} : le comité a discuté de {topic} lors de la rencontre {self.counter}. " * 3

    def notes(self) -> list[Path]:
        return sorted(self.corpus.rglob("*.md"))

    def add(self) -> None:
        write_note(self.corpus / f"note-{self.counter:03d}.md", f"titre: Note {self.counter}\ntype: entretien",
                   self.sentence())

    def apply(self, count: int) -> None:
        for _ in range(count):
            notes = self.notes()
            action = self.random.choice(["add", "edit", "rename", "move", "remove", "line"])
            if action == "add" or len(notes) < 3:
                self.add()
            elif action == "edit":
                note = self.random.choice(notes)
                note.write_text(note.read_text(encoding="utf-8") + self.sentence(), encoding="utf-8")
            elif action == "rename":
                note = self.random.choice(notes)
                note.rename(note.with_name(f"renomme-{self.counter:03d}-{note.name}"))
                self.counter += 1
            elif action == "move":
                note = self.random.choice(notes)
                folder = self.corpus / self.random.choice(["a", "b"])
                folder.mkdir(exist_ok=True)
                note.rename(folder / note.name)
            elif action == "remove":
                self.random.choice(notes).unlink()
            else:
                self.random.choice(self.lines)["text"] = self.sentence()
                self.jsonl.write_text("\n".join(json.dumps(line) for line in self.lines), encoding="utf-8")


@pytest.mark.slow
def test_a_run_killed_at_random_points_never_leaves_a_mixed_index_and_the_next_run_finishes(
        tmp_path: Path, e5: E5Embeddings) -> None:
    """SIGKILL a real `assistant index` many times; after each kill, the index is the one before or after the run."""
    import random

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    changes = CorpusChanges(corpus, seed=7)
    settings = Settings(corpus_dir=corpus, index_dir=index, chunking=ChunkingSettings(chunk_size=400,
                                                                                      chunk_overlap=50))
    env = subprocess_env(corpus, index)
    started = time.perf_counter()
    assert subprocess.run([sys.executable, "-m", "assistant.cli", "index"], env=env).returncode == EXIT_OK
    full_run = time.perf_counter() - started
    reader = Assistant(settings, embeddings=e5)  # one long-lived reader, like the web chat
    before = assert_consistent(reader).documents
    timing = random.Random(11)
    kills = mid_write = 0
    marker = index / "indexation-en-cours.json"
    runs = 0
    while runs < 24 or (runs < 72 and (kills < 12 or mid_write < 8)):  # more runs only while load shortens kills
        runs += 1
        changes.apply(timing.randint(1, 3))
        marker.unlink(missing_ok=True)  # so that its presence at the kill means this run was writing
        run = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if timing.random() < 0.6:  # most kills while the run writes: reading, embedding, buffer, BM25, commit
            while not marker.exists() and run.poll() is None:
                time.sleep(0.01)
            time.sleep(timing.uniform(0, 0.3))
        else:  # the others anywhere, from start-up on
            time.sleep(timing.uniform(0.2, full_run))
        if run.poll() is None:
            run.kill()
            kills += 1
            mid_write += marker.exists()
        run.wait()
        manifest = assert_consistent(reader)
        after_state = not plan_sync(settings, manifest).changes_index
        assert manifest.documents == before or after_state
        for source in reader.search("Qu'a dit le comité sur le transport collectif ?", EVERY_LEVEL):
            document = next(d for d in manifest.documents.values() if source.passage.id in d.passage_ids)
            assert source.passage.info.path == document.path
        before = manifest.documents
    print(f"{runs} runs, {kills} kills, {mid_write} while the run was changing the index")
    assert kills >= 12 and mid_write >= 8
    final = subprocess.run([sys.executable, "-m", "assistant.cli", "index"], env=env, capture_output=True, text=True)
    assert final.returncode == EXIT_OK, final.stderr
    manifest = assert_consistent(reader)
    assert not plan_sync(settings, manifest).changes_index
    assert reader.lexical.built_generation() == manifest.generation
    again = reader.index()
    assert again.passages_embedded == 0 and not (again.added or again.updated or again.removed)
