"""Researchers compare the regions on one question and gather what the interviews say on a theme: each row cites
its own region only, a silent region is told so, a partner never sees a confidential interview, and the exports
open in a spreadsheet as they should."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.cli import main as cli_main
from assistant.errors import InvalidQuestion
from assistant.models import NOTHING_FOR_REGION, SearchFilters
from assistant.research import (EXCERPT_CSV_HEADERS, comparison_csv, comparison_markdown, excerpts_csv,
                                excerpts_markdown)
from assistant.research_evaluation import INVENTED, REFUSED_RIGHT, RIGHT, evaluate_research
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from tests.conftest import write_note

EVERY_LEVEL = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
PARTNER = SearchFilters(confidentiality=("public", "interne"))
FILLER = ("Les six territoires de MRC de la région ont tenu des consultations publiques en 2012, puis des tables "
          "locales ont priorisé la sécurité alimentaire, le logement et le transport. Les organismes communautaires "
          "de la région {region} ont porté la plupart des projets retenus par le comité.")
AMOUNT = "Combien la ministre verse-t-elle pour l'exercice 2013-2014 ?"


def add_research_notes(corpus: Path) -> None:
    """A report that covers two regions (a chapter on each), and interviews of two actor types, one confidential."""
    write_note(corpus / "rapport-deux-regions.md", """
        titre: Rapport sur deux Alliances
        type: rapport
        regions: [Mauricie, Lanaudière]
        date: 2014-06-20
        confidentialite: public
        """, """
        # Rapport sur deux Alliances

        ## Chapitre 1 – Lanaudière

        La ministre verse 2 112 000 $ pour l'exercice 2013-2014 au Comité régional de suivi. {lanaudiere}

        ## Chapitre 2 – Mauricie

        Le Comité directeur de La Mauricie en action suit les projets depuis 2012. {mauricie}
        """.format(lanaudiere=FILLER.format(region="Lanaudière"), mauricie=FILLER.format(region="Mauricie")))
    write_note(corpus / "entretiens" / "ent-mau-01.md", """
        titre: Entretien avec un agent des services d'emploi de Trois-Rivières
        type: entretien
        regions: [Mauricie]
        date: 2013-10-08
        acteurs: [services d'emploi]
        confidentialite: interne
        code: ENT-MAU-01
        """, """
        ## Difficultés

        Le répondant trouve que la reddition de comptes est trop lourde : trois rapports par année.

        ## Perspectives

        Il espère un prochain plan de cinq ans.
        """)
    write_note(corpus / "entretiens" / "ent-mau-02.md", """
        titre: Entretien avec une citoyenne de Shawinigan
        type: entretien
        regions: [Mauricie]
        date: 2013-10-09
        acteurs: [citoyen]
        confidentialite: confidentiel
        code: ENT-MAU-02
        """, """
        La citoyenne juge la reddition de comptes incompréhensible pour les comités de quartier.
        """)


@pytest.fixture
def research(settings: Settings, e5) -> Assistant:
    """The tiny corpus and the research notes, indexed; answers made from the evidence (no model)."""
    add_research_notes(settings.corpus_dir)
    settings.llm = LLMSettings(answer_from="evidence")
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    return assistant


def test_each_row_cites_only_its_own_region_and_a_silent_region_gets_nothing(research: Assistant) -> None:
    rows = list(research.compare(AMOUNT, ("Mauricie", "Lanaudière", "Côte-Nord"), EVERY_LEVEL))
    assert [row.region for row in rows] == ["Mauricie", "Lanaudière", "Côte-Nord"]
    mauricie, lanaudiere, cote_nord = rows
    assert "1 505 000" in mauricie.text and "2 112 000" not in mauricie.text
    assert "2 112 000" in lanaudiere.text
    # The report covers both regions: its Lanaudière chapter is never cited for the Mauricie.
    for row in rows:
        for source in [] if row.nothing else row.answer.cited_sources:
            assert row.region in source.passage.info.regions
            assert row.region == "Lanaudière" or "Lanaudière" not in source.passage.text
    assert cote_nord.nothing and cote_nord.text == NOTHING_FOR_REGION


def test_a_partner_compares_without_the_confidential_interviews(research: Assistant) -> None:
    rows = list(research.compare("Que dit la citoyenne de la reddition de comptes ?", ("Mauricie",), PARTNER))
    cited = [s.passage.info.code for row in rows if not row.nothing for s in row.answer.sources]
    assert "ENT-MAU-02" not in cited


def test_a_mistyped_region_is_refused_with_the_regions_that_have_documents(research: Assistant) -> None:
    with pytest.raises(InvalidQuestion, match="région inconnue : Maurice.*Régions qui ont des documents : Côte-Nord"):
        list(research.compare(AMOUNT, ("Maurice",), EVERY_LEVEL))


def test_the_comparison_exports_as_csv_and_as_a_markdown_table_with_numbered_sources(research: Assistant) -> None:
    rows = list(research.compare(AMOUNT, ("Mauricie", "Côte-Nord"), EVERY_LEVEL))
    lines = list(csv.reader(io.StringIO(comparison_csv(rows))))
    assert lines[0] == ["région", "réponse", "document", "page", "passage"]
    assert any(line[0] == "Mauricie" and line[2] == "ententes/entente-mauricie.pdf" and line[3] == "2"
               and "1 505 000" in line[4] for line in lines[1:])
    assert ["Côte-Nord", NOTHING_FOR_REGION, "", "", ""] in lines
    markdown = comparison_markdown(AMOUNT, rows)
    assert "| Mauricie |" in markdown and f"| Côte-Nord | {NOTHING_FOR_REGION} |" in markdown
    assert "\\[1\\]" in markdown and "\n1. Entente Alliance pour la solidarité – Mauricie, AS-2011-MAU, page 2" \
        in markdown


def test_excerpts_on_a_theme_are_grouped_by_region_and_actor_with_the_sentence_marked(research: Assistant) -> None:
    result = research.excerpts("la reddition de comptes trop lourde", EVERY_LEVEL)
    codes = [excerpt.passage.info.code for excerpt in result.excerpts]
    assert {"ENT-MAU-01", "ENT-MAU-02", "ENT-LAN-02"} <= set(codes)
    assert len(codes) == len(set(excerpt.key for excerpt in result.excerpts))
    first = next(excerpt for excerpt in result.excerpts if excerpt.passage.info.code == "ENT-MAU-01")
    start, end = first.sentence
    assert first.passage.text[start:end] == ("Le répondant trouve que la reddition de comptes est trop lourde : "
                                             "trois rapports par année.")
    counts = result.counts()
    assert counts[("Mauricie", "services d'emploi")] == 1 and counts[("Mauricie", "citoyen")] == 1
    assert counts[("Lanaudière", "organisme communautaire")] == 1


def test_an_excerpt_is_shown_laid_out_as_in_its_interview_with_only_its_sentence_marked(research: Assistant) -> None:
    from assistant.web.excerpts import excerpts_listing
    from assistant.web.files import LinkSigner

    listing = excerpts_listing(research.excerpts("la reddition de comptes trop lourde", EVERY_LEVEL), LinkSigner(1))
    assert ('<p class="heading">Difficultés</p><p class="paragraph"><mark class="support">Le répondant trouve que la '
            "reddition de comptes est trop lourde : trois rapports par année.</mark></p>"
            '<p class="heading">Perspectives</p>') in listing
    assert "## " not in listing  # Markdown headings are shown as headings, never run into the text


def test_a_partner_sees_no_confidential_excerpt_and_no_count_of_one(research: Assistant) -> None:
    result = research.excerpts("la reddition de comptes trop lourde", PARTNER)
    assert "ENT-MAU-02" not in [excerpt.passage.info.code for excerpt in result.excerpts]
    assert ("Mauricie", "citoyen") not in result.counts()
    assert "ENT-MAU-02" not in excerpts_csv(result) and "ENT-MAU-02" not in excerpts_markdown(result)


def test_excerpts_of_one_actor_type_and_a_theme_the_corpus_never_mentions(research: Assistant) -> None:
    only = research.excerpts("la reddition de comptes", EVERY_LEVEL, actors=("citoyen",))
    assert [excerpt.passage.info.code for excerpt in only.excerpts] == ["ENT-MAU-02"]
    assert research.excerpts("les éoliennes en mer", EVERY_LEVEL).excerpts == []


def test_the_coding_sheet_keeps_the_kept_excerpts_and_defuses_formulas(research: Assistant) -> None:
    result = research.excerpts("la reddition de comptes", EVERY_LEVEL)
    kept = {result.excerpts[0].key}
    lines = list(csv.reader(io.StringIO(excerpts_csv(result, kept, note="=HYPERLINK(\"x\")"))))
    assert lines[0] == EXCERPT_CSV_HEADERS and len(lines) == 2
    row = dict(zip(lines[0], lines[1]))
    assert row["thème"] == "la reddition de comptes" and row["note"].startswith("'=")
    assert row["id"].startswith("E0") and row["document"] == result.excerpts[0].passage.info.path


def test_the_research_gold_scores_rows_and_recall(research: Assistant) -> None:
    questions = [{"qid": "r", "kind": "comparaison", "question": AMOUNT,
                  "regions": {"Mauricie": ["1 505 000 $"], "Côte-Nord": []}},
                 {"qid": "t", "kind": "extraits", "theme": "la reddition de comptes trop lourde",
                  "gold": [{"doc": "entretiens/ent-mau-01.md", "page": None}]}]
    scores = evaluate_research(research, questions)
    assert scores.rows == {RIGHT: 1, REFUSED_RIGHT: 1} and scores.rows[INVENTED] == 0
    assert scores.recalls == {"t": 1.0}


def test_the_cli_compares_and_gathers_in_french_and_writes_the_exports(research: Assistant, monkeypatch, capsys,
                                                                      tmp_path: Path) -> None:
    settings = research.settings
    for name, value in (("CORPUS_DIR", settings.corpus_dir), ("INDEX_DIR", settings.index_dir),
                        ("CHUNKING__CHUNK_SIZE", 400), ("CHUNKING__CHUNK_OVERLAP", 50),
                        ("LLM__ANSWER_FROM", "evidence")):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    assert cli_main(["comparer", AMOUNT, "--regions", "Mauricie", "Côte-Nord", "--confidentialite", "public",
                     "interne", "confidentiel", "--csv", str(tmp_path / "c.csv"), "--md", str(tmp_path / "c.md")]) == 0
    out = capsys.readouterr().out
    assert "== Mauricie ==" in out and f"== Côte-Nord ==\n{NOTHING_FOR_REGION}" in out
    assert "2 région(s) comparée(s), 1 avec une réponse citée, 1 sans rien dans le corpus." in out
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").startswith("région,réponse,document,page,passage")
    assert cli_main(["extraits", "la reddition de comptes", "--type", "entretien", "--acteurs", "citoyen",
                     "--confidentialite", "public", "interne", "confidentiel", "--csv", str(tmp_path / "e.csv")]) == 0
    out = capsys.readouterr().out
    assert "1 extrait(s) sur « la reddition de comptes »" in out and "[E001] ENT-MAU-02" in out
    assert cli_main(["extraits", "la reddition de comptes", "--csv", str(tmp_path / "absent" / "e.csv")]) == 2
    assert "impossible d'écrire" in capsys.readouterr().err


def test_the_page_s_first_handlers_open_the_index_at_once_without_breaking_chroma(research: Assistant) -> None:
    """On page load the chat, Comparer, Extraits and Documents handlers all read the index, each in its thread."""
    fresh = Assistant(research.settings, embeddings=research.embeddings)
    barrier = threading.Barrier(6)

    def read() -> int:
        barrier.wait()
        return len(fresh.indexed_documents(EVERY_LEVEL.confidentiality))

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(lambda _: read(), range(6))) == {6}
